package dev.jrsync.flist;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static dev.jrsync.flist.XmitFlags.CRTIME_EQ_MTIME;
import static dev.jrsync.flist.XmitFlags.END_WITH_IO_ERROR;
import static dev.jrsync.flist.XmitFlags.EXTENDED_FLAGS;
import static dev.jrsync.flist.XmitFlags.GROUP_NAME_FOLLOWS;
import static dev.jrsync.flist.XmitFlags.HLINKED;
import static dev.jrsync.flist.XmitFlags.HLINK_FIRST;
import static dev.jrsync.flist.XmitFlags.LONG_NAME;
import static dev.jrsync.flist.XmitFlags.MOD_NSEC;
import static dev.jrsync.flist.XmitFlags.NO_CONTENT_DIR;
import static dev.jrsync.flist.XmitFlags.RDEV_MINOR_8_PRE30;
import static dev.jrsync.flist.XmitFlags.SAME_ATIME;
import static dev.jrsync.flist.XmitFlags.SAME_DEV_PRE30;
import static dev.jrsync.flist.XmitFlags.SAME_GID;
import static dev.jrsync.flist.XmitFlags.SAME_MODE;
import static dev.jrsync.flist.XmitFlags.SAME_NAME;
import static dev.jrsync.flist.XmitFlags.SAME_RDEV_MAJOR;
import static dev.jrsync.flist.XmitFlags.SAME_RDEV_PRE28;
import static dev.jrsync.flist.XmitFlags.SAME_TIME;
import static dev.jrsync.flist.XmitFlags.SAME_UID;
import static dev.jrsync.flist.XmitFlags.TOP_DIR;
import static dev.jrsync.flist.XmitFlags.USER_NAME_FOLLOWS;

/**
 * The receiving half of the file-list exchange (rsync/flist.c:recv_file_list and
 * recv_file_entry). Everything from the peer is checked before it is used: name lengths and
 * safety, flag bits of features that were not negotiated, mode types, nanoseconds, lengths and
 * the number of entries.
 *
 * <p>Session order: {@link #readList}, {@link #readIdLists}, then for protocol &lt; 30
 * {@link #readIoErrorTrailer}. With incremental recursion: {@link #readList} for the top list, then
 * {@link #readDirList} for each directory's sub-list as it comes; {@link #readIdLists} then reads
 * nothing and gives the names read inline so far. One decoder per connection: entries are delta-coded
 * against the previous one, across lists.
 */
public final class FileListDecoder {
    /** Error bits a peer may report ({@code IOERR_VALID_MASK}: general, vanished, delete limit). */
    public static final int IOERR_VALID_MASK = 0x7;
    private static final int MAX_NSEC = 999_999_999;
    private static final int END = -1;
    /** A FileEntry object, its last component's array header and the list's reference (compressed oops). */
    private static final int ENTRY_OVERHEAD = 56 + 16 + 4;
    /** The side object of an entry with a device number, a link target or a checksum. */
    private static final int RARE_OVERHEAD = 32;
    private static final int ARRAY_OVERHEAD = 16;

    private final FileListOptions options;
    private final IdLists inlineNames = IdLists.forInlineNames();
    private int ioError;
    /** What the lists read so far were charged to the input's allocation budget. */
    private long listBytes;

    /** The previous name, which the next one may start with (l1 bytes of it), and its length. */
    private final byte[] lastName = new byte[FileListEncoder.MAX_PATH];
    private int lastNameLength;
    /** The directory part of the previous name that had one, shared by the entries that follow in it. */
    private byte[] lastDir;
    private int lastMode;
    private long lastMtime;
    private long lastAtime;
    private int lastUid;
    private int lastGid;
    private int lastRdevMajor;
    /** Protocol 27: the previous entry's whole device number, 0 after an entry without one. */
    private int lastRdev32;
    /** {@code -H} before protocol 30: the device of the last hard-linked entry that sent one. */
    private long lastDev;
    /** {@code -H} before protocol 30: the group (its first entry's index) of each (device, inode) seen. */
    private final Map<Inode, Integer> inodeGroups = new HashMap<>();

    private record Inode(long dev, long ino) {}

    /** {@code -X}: the sets read so far, which later entries may name by index; null without it. */
    private final XattrListReader xattrs;

    /** {@code -A}: the ACLs read so far, which later entries may name by index; null without it. */
    private final AclListReader acls;

    public FileListDecoder(FileListOptions options) {
        this.options = options;
        this.xattrs = options.xattrs() == null ? null : new XattrListReader(options.xattrs());
        this.acls = options.acls() ? new AclListReader(options, inlineNames, options.fakeSuper()) : null;
    }

    /**
     * Reads entries up to the end marker, in the sender's (unsorted) order. The list is charged to the
     * input's {@link dev.jrsync.wire.MaxAlloc} as one buffer, entry by entry as each arrives: Java keeps
     * no single array of entries as rsync's {@code flist->files} is, so the list's whole heap cost is
     * what {@code --max-alloc} and the daemon's budget bound (the charge lasts as long as the session).
     */
    public List<FileEntry> readList(ProtocolInput in) {
        return readEntries(in, null);
    }

    /**
     * Reads the sub-list of the directory named {@code dirName} (incremental recursion,
     * {@code rsync/flist.c:recv_file_list} with a {@code dir_ndx}): every entry must lie directly in that
     * directory, as in the top list every entry must lie at the top, so that a sender cannot place a
     * file anywhere but where the directory it announced leads (rsync aborts with "invalid path from
     * sender"). Which directory may be announced, and only once, is the session's check.
     */
    public List<FileEntry> readDirList(ProtocolInput in, byte[] dirName) {
        if (!options.incRecurse()) {
            throw new IllegalStateException("sub-lists exist only with incremental recursion");
        }
        return readEntries(in, dirName);
    }

    private List<FileEntry> readEntries(ProtocolInput in, byte[] dirName) {
        if (options.incRecurse()) {
            listBytes = 0; // each list is its own allocation, given back when the list is freed
        }
        List<FileEntry> entries = new ArrayList<>();
        int flags;
        while ((flags = readFlags(in)) != END) {
            if (entries.size() >= options.maxEntries()) {
                throw new ProtocolException("file list too long: more than " + options.maxEntries() + " entries");
            }
            byte[] sharedDir = lastDir;
            FileEntry e = readEntry(in, flags, entries);
            if (options.incRecurse()) {
                checkParent(e, dirName);
            }
            long grown = listBytes + heapBytes(e, e.dirPart() != null && e.dirPart() != sharedDir);
            in.maxAlloc().grow(listBytes, grown, "Receiver", "file list");
            listBytes = grown;
            entries.add(e);
        }
        return entries;
    }

    /** The entry's directory part must be {@code dirName} exactly (none for the top list). */
    private static void checkParent(FileEntry e, byte[] dirName) {
        byte[] dir = e.dirPart();
        // no nulls into Arrays.equals: the fuzz tests' instrumentation of it crashes the JVM on one
        boolean ok = dir == null ? dirName == null : dirName != null && Arrays.equals(dir, dirName);
        if (!ok) {
            throw new RsyncException(ExitCode.UNSUPPORTED, "ABORTING due to invalid path from sender: "
                    + e.displayName() + (dirName == null ? " (not at the top)" : " (not in " + Escaped.of(dirName) + ")"));
        }
    }

    /**
     * About what an entry costs on the heap: the object, its arrays (the directory part only where a new
     * one was made) and the list's reference to it.
     */
    private static long heapBytes(FileEntry e, boolean newDir) {
        long bytes = ENTRY_OVERHEAD + e.basePart().length;
        if (newDir) {
            bytes += ARRAY_OVERHEAD + e.dirPart().length;
        }
        if (e.hasRareAttributes()) {
            bytes += RARE_OVERHEAD;
        }
        if (e.linkTarget() != null) {
            bytes += ARRAY_OVERHEAD + e.linkTarget().length;
        }
        if (e.checksum() != null) {
            bytes += ARRAY_OVERHEAD + e.checksum().length;
        }
        return bytes;
    }

    /** What the last list read was charged to the input's {@link dev.jrsync.wire.MaxAlloc}. */
    public long listBytes() {
        return listBytes;
    }

    /** The I/O-error bits the sender reported in the end marker (already masked). */
    public int ioError() {
        return ioError;
    }

    /**
     * The uid/gid name lists, if the options call for them (rsync/uidlist.c:recv_id_list), after the names read
     * inline so far; with incremental recursion no lists are sent, and the inline names are all there is.
     */
    public IdLists readIdLists(ProtocolInput in) {
        return options.incRecurse() ? inlineNames : IdLists.read(in, options, inlineNames);
    }

    /**
     * Looks up in {@code local} the owner names read inline so far, as {@code rsync/uidlist.c:recv_add_id} looks
     * each one up as it arrives: a daemon's name converter refuses a bad one then, before the sender's id lists.
     */
    public void lookUpInlineNames(IdNames local) {
        inlineNames.lookUp(local);
    }

    /** Protocol &lt; 30 only: the int32 I/O-error word after the id lists, masked. */
    public int readIoErrorTrailer(ProtocolInput in) {
        if (options.protocol() >= 30) {
            throw new IllegalStateException("the I/O-error trailer exists only before protocol 30");
        }
        return in.readInt() & IOERR_VALID_MASK;
    }

    /**
     * The flag word, or END at the end marker (rsync/flist.c:recv_file_list). The byte-mode
     * end-with-error short is only legal on a safe file list.
     */
    private int readFlags(ProtocolInput in) {
        int flags;
        if (options.varintFlags()) {
            flags = in.readVarint();
            if (flags == 0) {
                ioError |= in.readVarint() & IOERR_VALID_MASK;
                return END;
            }
        } else {
            flags = in.readUnsignedByte();
            if (flags == 0) {
                return END;
            }
            // before protocol 28 the bit is SAME_RDEV_PRE28 and the flags are one byte
            if ((flags & EXTENDED_FLAGS) != 0 && options.protocol() >= 28) {
                flags |= in.readUnsignedByte() << 8;
            }
            if (flags == END_WITH_IO_ERROR) {
                if (!options.useSafeFlist()) {
                    throw new ProtocolException("Invalid flist flag: 0x" + Integer.toHexString(flags));
                }
                ioError |= in.readVarint() & IOERR_VALID_MASK;
                return END;
            }
        }
        checkNegotiated(flags);
        return flags;
    }

    /**
     * Refuses flag bits whose features were not negotiated. rsync before 3.5 acted on XMIT_HLINKED
     * without -H (CVE-2026-70458); anything outside the known set is refused as well.
     */
    private void checkNegotiated(int flags) {
        int protocol = options.protocol();
        int allowed = TOP_DIR | SAME_MODE | EXTENDED_FLAGS | SAME_UID | SAME_GID | SAME_NAME | LONG_NAME
                | SAME_TIME | SAME_RDEV_MAJOR;
        if (protocol >= 31) {
            allowed |= MOD_NSEC;
        }
        if (protocol < 30) {
            allowed |= RDEV_MINOR_8_PRE30;
        }
        if (options.preserveHardLinks()) {
            allowed |= HLINKED | (protocol >= 30 ? HLINK_FIRST : SAME_DEV_PRE30);
        }
        if (options.receivesInlineUserNames()) {
            allowed |= USER_NAME_FOLLOWS;
        }
        if (options.receivesInlineGroupNames()) {
            allowed |= GROUP_NAME_FOLLOWS;
        }
        if (options.atimes()) {
            allowed |= SAME_ATIME;
        }
        int refused = flags & ~allowed;
        if (refused == 0) {
            return;
        }
        StringJoiner what = new StringJoiner(", ");
        if ((refused & (HLINKED | HLINK_FIRST)) != 0 || (protocol < 30 && (refused & SAME_DEV_PRE30) != 0)) {
            what.add("hard links (-H)");
        }
        if (protocol >= 30 && (refused & (USER_NAME_FOLLOWS | GROUP_NAME_FOLLOWS)) != 0) {
            what.add("owner names (-o/-g)");
        }
        if ((refused & SAME_ATIME) != 0) {
            what.add("--atimes");
        }
        if ((refused & CRTIME_EQ_MTIME) != 0) {
            what.add("--crtimes");
        }
        if ((refused & MOD_NSEC) != 0) {
            what.add("nanosecond mtimes (protocol 31+)");
        }
        if (what.length() == 0) {
            what.add("unknown bits");
        }
        throw new ProtocolException("file-list flags 0x" + Integer.toHexString(flags)
                + " use a feature that was not negotiated: " + what);
    }

    // rsync/flist.c:recv_file_entry (no crtimes or iconv; ACLs and xattrs in withAclsAndXattrs)
    private FileEntry readEntry(ProtocolInput in, int flags, List<FileEntry> entries) {
        int protocol = options.protocol();
        readName(in, flags);
        if ((flags & HLINKED) == 0 && (flags & (protocol >= 30 ? HLINK_FIRST : SAME_DEV_PRE30)) != 0) {
            throw new ProtocolException("file-list flags 0x" + Integer.toHexString(flags)
                    + " qualify a hard link without its flag for " + shownName());
        }
        if (protocol >= 30 && (flags & (HLINKED | HLINK_FIRST)) == HLINKED) {
            return readLaterLink(in, entries);
        }

        long size = in.readVarlong30(3);
        if (size < 0) {
            throw new ProtocolException("Offset underflow: file-length is negative for " + shownName());
        }
        if ((flags & SAME_TIME) == 0) {
            lastMtime = protocol >= 30 ? in.readVarlong(4) : in.readInt() & 0xFFFFFFFFL;
        }
        int nsec = 0;
        if ((flags & MOD_NSEC) != 0) {
            nsec = in.readVarint();
            if (nsec < 0 || nsec > MAX_NSEC) {
                throw new ProtocolException("modtime nanoseconds out of range (" + Integer.toUnsignedString(nsec)
                        + ") for " + shownName());
            }
        }
        if ((flags & SAME_MODE) == 0) {
            lastMode = in.readInt();
        }
        int mode = lastMode;
        if (options.atimes() && !FileMode.isDirectory(mode) && (flags & SAME_ATIME) == 0) {
            lastAtime = in.readVarlong(4);
        }
        boolean missing = mode == 0 && options.deleteMissingArgs(); // a source the sender did not find
        if (!FileMode.isValid(mode) && !missing) {
            throw new ProtocolException("invalid file mode 0" + Integer.toOctalString(mode) + " for " + shownName());
        }
        checkTypeFlags(flags, mode);
        if (lastNameLength == 1 && lastName[0] == '.' && !FileMode.isDirectory(mode)) {
            throw new ProtocolException("rejecting non-directory transfer-root entry: .");
        }

        // before protocol 30 (never incremental) the group-name bit is RDEV_MINOR_8_PRE30
        int names = protocol >= 30 ? flags & (USER_NAME_FOLLOWS | GROUP_NAME_FOLLOWS) : 0;
        if (((names & USER_NAME_FOLLOWS) != 0 && (flags & SAME_UID) != 0)
                || ((names & GROUP_NAME_FOLLOWS) != 0 && (flags & SAME_GID) != 0)) {
            throw new ProtocolException("file-list flags 0x" + Integer.toHexString(flags)
                    + " name an owner without its id for " + shownName());
        }
        if (options.preserveUid() && (flags & SAME_UID) == 0) {
            lastUid = in.readVarint30();
            if ((names & USER_NAME_FOLLOWS) != 0) {
                inlineNames.readUserName(in, lastUid, options);
            }
        }
        if (options.preserveGid() && (flags & SAME_GID) == 0) {
            lastGid = in.readVarint30();
            if ((names & GROUP_NAME_FOLLOWS) != 0) {
                inlineNames.readGroupName(in, lastGid, options);
            }
        }

        int major = 0;
        int minor = 0;
        if (protocol < 28) {
            if (!options.sendsRdev(mode)) {
                lastRdev32 = 0;
            } else if ((flags & SAME_RDEV_PRE28) == 0) {
                lastRdev32 = in.readInt();
            }
            if (options.sendsRdev(mode) || FileMode.isDevice(mode)) {
                size = 0;
            }
            if (options.sendsRdev(mode) && FileMode.isDevice(mode)) {
                major = Rdev32.major(lastRdev32);
                minor = Rdev32.minor(lastRdev32);
            }
        } else if (options.sendsRdev(mode)) {
            if ((flags & SAME_RDEV_MAJOR) == 0) {
                lastRdevMajor = in.readVarint30();
            }
            int wireMinor;
            if (protocol >= 30) {
                wireMinor = in.readVarint();
            } else if ((flags & RDEV_MINOR_8_PRE30) != 0) {
                wireMinor = in.readUnsignedByte();
            } else {
                wireMinor = in.readInt();
            }
            size = 0;
            // a FIFO or socket only carries a placeholder number
            if (FileMode.isDevice(mode)) {
                major = lastRdevMajor;
                minor = wireMinor;
            }
        } else if (FileMode.isDevice(mode)) {
            size = 0;
        }

        FileEntry.Builder b = builderOfName(mode)
                .size(size)
                .mtime(lastMtime, nsec)
                .atime(options.atimes() && !FileMode.isDirectory(mode) ? lastAtime : 0)
                .owner(options.preserveUid() ? lastUid : 0, options.preserveGid() ? lastGid : 0)
                .rdev(major, minor);
        if (options.preserveLinks() && FileMode.isSymlink(mode)) {
            b.linkTarget(readLinkTarget(in));
        }
        if (options.checksumLength() > 0 && FileMode.isRegular(mode)) {
            b.checksum(in.readBytes(options.checksumLength()));
        } else if (options.checksumLength() > 0 && protocol < 28) {
            in.readBytes(options.checksumLength()); // zeros: rsync sent them for every entry
        }
        if (FileMode.isDirectory(mode)) {
            b.dirFlags(flags & (protocol >= 30 ? TOP_DIR | NO_CONTENT_DIR : TOP_DIR));
        }
        if (missing) {
            b.missing();
        }
        if (protocol < 28 && options.preserveHardLinks() && FileMode.isRegular(mode)) {
            flags |= HLINKED; // no flag for it: with -H every regular file has a device and inode
        }
        if ((flags & HLINKED) != 0) {
            if (FileMode.isDirectory(mode)) {
                throw new ProtocolException("hard-link flag on directory " + shownName());
            }
            int group = entries.size(); // HLINK_FIRST: the group is named by its first entry's index
            if (protocol < 30) {
                if ((flags & SAME_DEV_PRE30) == 0) {
                    lastDev = in.readLongint();
                }
                group = inodeGroups.computeIfAbsent(new Inode(lastDev, in.readLongint()), k -> entries.size());
            }
            b.hardLinkGroup(group);
        }
        return withAclsAndXattrs(in, b, mode).build();
    }

    /**
     * rsync/flist.c:recv_file_entry's last steps, for every entry, a later hard link too: {@code receive_acl} but for
     * a symlink, then {@code receive_xattr}.
     */
    private FileEntry.Builder withAclsAndXattrs(ProtocolInput in, FileEntry.Builder b, int mode) {
        if (acls != null && !FileMode.isSymlink(mode)) {
            RsyncAcl acl = acls.readAccess(in);
            b.acls(acl, FileMode.isDirectory(mode) ? acls.readDefault(in) : null);
        }
        if (xattrs != null) {
            b.xattrs(xattrs.read(in, shownName()));
        }
        return b;
    }

    /**
     * A later name of a hard-link group (protocol 30+): only its name and the index of the group's first entry
     * came, and it takes all else from that entry, which is also what the next entry is delta-coded against
     * ({@code rsync/flist.c:recv_file_entry}'s jump to {@code create_object}). The index must name a first entry
     * already in this list; rsync checks only the range.
     */
    private FileEntry readLaterLink(ProtocolInput in, List<FileEntry> entries) {
        int first = in.readVarint();
        if (first < 0 || first >= entries.size()) {
            throw new ProtocolException("hard-link reference out of range: " + first + " (" + entries.size() + ") for "
                    + shownName());
        }
        FileEntry f = entries.get(first);
        if (f.hardLinkGroup() != first) {
            throw new ProtocolException("hard-link reference " + first + " is not the first of a group, for " + shownName());
        }
        if (lastNameLength == 1 && lastName[0] == '.') {
            throw new ProtocolException("rejecting non-directory transfer-root entry: .");
        }
        lastMode = f.mode();
        lastMtime = f.mtime();
        if (options.atimes()) {
            lastAtime = f.atime();
        }
        if (options.preserveUid()) {
            lastUid = f.uid();
        }
        if (options.preserveGid()) {
            lastGid = f.gid();
        }
        if (options.preserveDevices() && f.isDevice()) {
            lastRdevMajor = f.rdevMajor();
        }
        return withAclsAndXattrs(in, builderOfName(f.mode())
                .size(f.size())
                .mtime(f.mtime(), f.mtimeNsec())
                .atime(f.atime())
                .owner(f.uid(), f.gid())
                .rdev(f.rdevMajor(), f.rdevMinor())
                .linkTarget(f.linkTarget())
                .checksum(f.checksum())
                .hardLinkGroup(first), f.mode())
                .build();
    }

    /**
     * Prefix-compressed name: l1 bytes of the previous name plus l2 new ones, read in place of the previous
     * name's tail, then checked.
     */
    private void readName(ProtocolInput in, int flags) {
        int l1 = (flags & SAME_NAME) != 0 ? in.readUnsignedByte() : 0;
        int l2 = (flags & LONG_NAME) != 0 ? in.readVarint30() : in.readUnsignedByte();
        if (l2 < 0 || l1 + l2 >= FileListEncoder.MAX_PATH) {
            throw new ProtocolException("overflow: flags=0x" + Integer.toHexString(flags) + " l1=" + l1 + " l2=" + l2
                    + " lastname=" + shownName());
        }
        if (l1 > lastNameLength) {
            throw new ProtocolException("name prefix length " + l1 + " exceeds the previous name " + shownName());
        }
        in.readFully(lastName, l1, l2);
        lastNameLength = l1 + l2;
        if (!SafeNames.isSafeRelative(lastName, lastNameLength)) {
            throw new ProtocolException("ABORTING due to unsafe pathname from sender: " + shownName());
        }
    }

    /**
     * A builder named by the name just read: its directory part is the previous entry's array when it is the
     * same directory (rsync/flist.c:recv_file_entry's {@code lastdir}), as it is for most of a sender's entries.
     */
    private FileEntry.Builder builderOfName(int mode) {
        int slash = lastNameLength - 1;
        while (slash >= 0 && lastName[slash] != '/') {
            slash--;
        }
        byte[] base = Arrays.copyOfRange(lastName, slash + 1, lastNameLength);
        if (slash < 0) {
            return FileEntry.builder(base, mode);
        }
        if (lastDir == null || !Arrays.equals(lastName, 0, slash, lastDir, 0, lastDir.length)) {
            lastDir = Arrays.copyOf(lastName, slash);
        }
        return FileEntry.builder(lastDir, base, mode);
    }

    /** The name just read, as rsync prints it. */
    private String shownName() {
        return Escaped.of(Arrays.copyOf(lastName, lastNameLength));
    }

    /**
     * Bits 0x100 and 0x800 depend on the type: on a directory 0x100 is NO_CONTENT_DIR (protocol
     * 30+), otherwise both describe a device number and are meaningless where none is sent.
     */
    private void checkTypeFlags(int flags, int mode) {
        int typed = flags & (SAME_RDEV_MAJOR | (options.protocol() < 30 ? RDEV_MINOR_8_PRE30 : 0));
        if (typed == 0) {
            return;
        }
        boolean ok = FileMode.isDirectory(mode)
                ? typed == NO_CONTENT_DIR && options.protocol() >= 30
                : options.sendsRdev(mode);
        if (!ok) {
            throw new ProtocolException("file-list flags 0x" + Integer.toHexString(flags)
                    + " do not fit mode 0" + Integer.toOctalString(mode) + " of " + shownName());
        }
    }

    private byte[] readLinkTarget(ProtocolInput in) {
        int len = in.readVarint30();
        if (len <= 0 || len >= FileListEncoder.MAX_PATH) {
            throw new ProtocolException("overflow: linkname_len=" + len + " for " + shownName());
        }
        byte[] target = in.readBytes(len);
        for (byte c : target) {
            if (c == 0) {
                throw new ProtocolException("symlink target with a NUL byte for " + shownName());
            }
        }
        return target;
    }
}
