package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolOutput;
import java.util.HashMap;
import java.util.Map;

import static dev.jrsync.flist.XmitFlags.EXTENDED_FLAGS;
import static dev.jrsync.flist.XmitFlags.GROUP_NAME_FOLLOWS;
import static dev.jrsync.flist.XmitFlags.HLINKED;
import static dev.jrsync.flist.XmitFlags.HLINK_FIRST;
import static dev.jrsync.flist.XmitFlags.LONG_NAME;
import static dev.jrsync.flist.XmitFlags.MOD_NSEC;
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
 * The sending half of the file-list exchange (rsync/flist.c:send_file_entry and
 * write_end_of_flist). Entries are delta-coded against the previous entry written on this
 * connection, so use one encoder per connection and write entries in the order they were scanned.
 *
 * <p>Session order: {@link #writeEntry} for each entry, {@link #writeEnd}, {@link #writeIdLists},
 * then for protocol &lt; 30 {@link #writeIoErrorTrailer}.
 */
public final class FileListEncoder {
    /** rsync's MAXPATHLEN: a name plus its NUL must fit. */
    static final int MAX_PATH = 4096;
    private static final int MAX_PREFIX = 255;

    private final FileListOptions options;
    private final IdLists ids;

    private byte[] lastName = new byte[0];
    private int lastMode;
    private long lastMtime;
    private long lastAtime;
    private int lastUid;
    private int lastGid;
    private int lastRdevMajor;
    /** Protocol 27: the previous entry's whole device number, 0 after an entry without one. */
    private int lastRdev32;
    /** {@code -H}, protocol 30+: the index of each hard-link group's first entry ({@code rsync/hlink.c:idev_find}). */
    private final Map<Integer, Integer> groupFirst = new HashMap<>();
    /** Entries written: the index of the next one (a -H list is never incremental, so it starts at 0). */
    private int written;

    /** {@code -X}: the sets sent so far, by index; null without it. */
    private final XattrListWriter xattrs;
    /** {@code -A}: the ACLs sent so far, by index; null without it. */
    private final AclListWriter acls;

    public FileListEncoder(FileListOptions options, IdNames names) {
        this.options = options;
        this.ids = IdLists.forSending(names);
        this.xattrs = options.xattrs() == null ? null : new XattrListWriter(options.xattrs());
        this.acls = options.acls() ? new AclListWriter(ids, options.numericIds(), options.incRecurse()) : null;
    }

    /** The uids/gids (with names) seen so far. */
    public IdLists idLists() {
        return ids;
    }

    /**
     * Writes one entry (rsync/flist.c:send_file_entry). Every attribute equal to the previous
     * entry's is left out and flagged instead; the flag word is never 0 because 0 ends the list.
     */
    public void writeEntry(ProtocolOutput out, FileEntry e) {
        int protocol = options.protocol();
        byte[] name = e.name();
        if (name.length >= MAX_PATH) {
            throw new IllegalArgumentException("name too long for a file list: " + e.displayName());
        }
        int mode = e.mode();
        int xflags = directoryFlags(e);

        if (mode == lastMode) {
            xflags |= SAME_MODE;
        } else {
            lastMode = mode;
        }

        boolean sendRdev = options.sendsRdev(mode);
        int major = 0;
        int minor = 0;
        int rdev32 = 0;
        if (protocol < 28) {
            // A FIFO or socket sends no number at all: "same as before" is free.
            rdev32 = e.isDevice() ? Rdev32.of(e.rdevMajor(), e.rdevMinor()) : 0;
            if (sendRdev && (!e.isDevice() || rdev32 == lastRdev32)) {
                xflags |= SAME_RDEV_PRE28;
            } else {
                lastRdev32 = rdev32;
            }
        } else if (sendRdev) {
            // A FIFO/socket has no device number; repeating the previous major costs nothing.
            major = e.isDevice() ? e.rdevMajor() : lastRdevMajor;
            minor = e.isDevice() ? e.rdevMinor() : 0;
            if (major == lastRdevMajor) {
                xflags |= SAME_RDEV_MAJOR;
            } else {
                lastRdevMajor = major;
            }
            if (protocol < 30 && Integer.compareUnsigned(minor, 0xFF) <= 0) {
                xflags |= RDEV_MINOR_8_PRE30;
            }
        }

        // The very first entry always carries its ids: the receiver's "previous" ids are only a guess.
        boolean first = lastName.length == 0;
        String userName = null;
        String groupName = null;
        boolean inlineUserName = false;
        boolean inlineGroupName = false;
        if (!options.preserveUid() || (e.uid() == lastUid && !first)) {
            xflags |= SAME_UID;
        } else {
            lastUid = e.uid();
            if (!options.numericIds()) {
                userName = ids.addUid(lastUid);
            }
            if (userName != null && options.sendsInlineUserNames()) {
                inlineUserName = true;
                xflags |= USER_NAME_FOLLOWS;
            }
        }
        if (!options.preserveGid() || (e.gid() == lastGid && !first)) {
            xflags |= SAME_GID;
        } else {
            lastGid = e.gid();
            if (!options.numericIds()) {
                groupName = ids.addGid(lastGid);
            }
            if (groupName != null && options.sendsInlineGroupNames()) {
                inlineGroupName = true; // the bit alone is RDEV_MINOR_8_PRE30 before protocol 30
                xflags |= GROUP_NAME_FOLLOWS;
            }
        }

        if (e.mtime() == lastMtime) {
            xflags |= SAME_TIME;
        } else {
            lastMtime = e.mtime();
        }
        if (protocol >= 31 && e.mtimeNsec() != 0) {
            xflags |= MOD_NSEC;
        }
        boolean sendAtime = options.atimes() && !e.isDirectory();
        if (sendAtime) {
            if (e.atime() == lastAtime) {
                xflags |= SAME_ATIME;
            } else {
                lastAtime = e.atime();
            }
        }

        // rsync/flist.c:send_file_entry: a later name of a group sent earlier is its name and the first's index
        int firstOfGroup = -1;
        int group = options.preserveHardLinks() && !e.isDirectory() ? e.hardLinkGroup() : -1;
        // Protocol 27 has no flag for it: with -H every regular file carries a device and inode, and only those.
        boolean sendInode = protocol < 28 ? options.preserveHardLinks() && e.isRegular() : group >= 0;
        if (group >= 0 && protocol >= 28) {
            xflags |= HLINKED;
            if (protocol >= 30) {
                Integer opened = groupFirst.putIfAbsent(group, written);
                if (opened == null) {
                    xflags |= HLINK_FIRST;
                } else {
                    firstOfGroup = opened;
                }
            } else {
                // The receiver only groups by (dev, inode): one made-up device and the group as the inode say
                // the same with no stat fields kept per entry (the device stays the initial 0: "same as before").
                xflags |= SAME_DEV_PRE30;
            }
        }

        int l1 = commonPrefix(lastName, name);
        int l2 = name.length - l1;
        if (l1 > 0) {
            xflags |= SAME_NAME;
        }
        if (l2 > 0xFF) {
            xflags |= LONG_NAME;
        }

        xflags = writeFlags(out, xflags, e.isDirectory());
        if ((xflags & SAME_NAME) != 0) {
            out.writeByte(l1);
        }
        if ((xflags & LONG_NAME) != 0) {
            out.writeVarint30(l2);
        } else {
            out.writeByte(l2);
        }
        out.write(name, l1, l2);
        lastName = name;
        written++;
        if (firstOfGroup >= 0) {
            out.writeVarint(firstOfGroup);
            writeAclsAndXattrs(out, e); // the receiver takes the rest from the first
            return;
        }

        out.writeVarlong30(e.size(), 3);
        if ((xflags & SAME_TIME) == 0) {
            if (protocol >= 30) {
                out.writeVarlong(e.mtime(), 4);
            } else {
                out.writeInt((int) e.mtime());
            }
        }
        if ((xflags & MOD_NSEC) != 0) {
            out.writeVarint(e.mtimeNsec());
        }
        if ((xflags & SAME_MODE) == 0) {
            out.writeInt(mode);
        }
        if (sendAtime && (xflags & SAME_ATIME) == 0) {
            out.writeVarlong(e.atime(), 4);
        }
        if ((xflags & SAME_UID) == 0) {
            out.writeVarint30(e.uid());
            if (inlineUserName) {
                IdLists.writeInlineName(out, userName);
            }
        }
        if ((xflags & SAME_GID) == 0) {
            out.writeVarint30(e.gid());
            if (inlineGroupName) {
                IdLists.writeInlineName(out, groupName);
            }
        }
        if (sendRdev && protocol < 28) {
            if ((xflags & SAME_RDEV_PRE28) == 0) {
                out.writeInt(rdev32);
            }
        } else if (sendRdev) {
            if ((xflags & SAME_RDEV_MAJOR) == 0) {
                out.writeVarint30(major);
            }
            if (protocol >= 30) {
                out.writeVarint(minor);
            } else if ((xflags & RDEV_MINOR_8_PRE30) != 0) {
                out.writeByte(minor);
            } else {
                out.writeInt(minor);
            }
        }
        if (options.preserveLinks() && e.isSymlink()) {
            byte[] target = e.linkTarget();
            // rsync skips such links while scanning; the receiver refuses an empty target.
            if (target == null || target.length == 0 || target.length >= MAX_PATH) {
                throw new IllegalArgumentException("symlink without a usable target: " + e.displayName());
            }
            out.writeVarint30(target.length);
            out.write(target);
        }
        if (sendInode && protocol < 28) {
            // the groups share device 0 (sent 1-incremented); a file of one name is device 1 and its own index
            out.writeLongint(group >= 0 ? 1 : 2);
            out.writeLongint(group >= 0 ? group + 1L : written - 1L);
        } else if (sendInode && protocol < 30) {
            out.writeLongint(group + 1L); // rsync's inode table refuses key 0
        }
        if (options.checksumLength() > 0 && !e.isRegular() && protocol < 28) {
            out.write(new byte[options.checksumLength()]); // rsync/flist.c: "a useless set of nulls"
        } else if (options.checksumLength() > 0 && e.isRegular()) {
            byte[] sum = e.checksum();
            if (sum == null || sum.length != options.checksumLength()) {
                throw new IllegalArgumentException("missing or mis-sized file checksum for " + e.displayName());
            }
            out.write(sum);
        }
        writeAclsAndXattrs(out, e);
    }

    /** rsync/flist.c:send_file_name's {@code send_acl} but for a symlink, then {@code send_xattr}, after every entry. */
    private void writeAclsAndXattrs(ProtocolOutput out, FileEntry e) {
        if (acls != null && !e.isSymlink()) {
            acls.write(out, e);
        }
        if (xattrs != null) {
            xattrs.write(out, e.xattrs());
        }
    }

    /**
     * The directory bits for the flag word. From protocol 30 they are the entry's own; before, only
     * a transfer root that sends its contents is marked (an implied parent is plain there).
     */
    private int directoryFlags(FileEntry e) {
        if (!e.isDirectory()) {
            return 0;
        }
        if (options.protocol() >= 30) {
            return e.dirFlags();
        }
        return e.isTopDir() && !e.isNoContentDir() ? TOP_DIR : 0;
    }

    /** Length of the shared prefix, capped at what the one-byte l1 can say. */
    private static int commonPrefix(byte[] last, byte[] name) {
        int max = Math.min(MAX_PREFIX, Math.min(last.length, name.length));
        int l1 = 0;
        while (l1 < max && last[l1] == name[l1]) {
            l1++;
        }
        return l1;
    }

    /**
     * The flag word in the negotiated form. A zero would read as the end marker, so a varint 0
     * becomes the filler EXTENDED_FLAGS, and in byte mode a non-directory gets the (for it
     * meaningless) TOP_DIR bit while a directory is sent as a two-byte word. Returns the flags as written.
     */
    private int writeFlags(ProtocolOutput out, int xflags, boolean isDir) {
        if (options.varintFlags()) {
            out.writeVarint(xflags != 0 ? xflags : EXTENDED_FLAGS);
            return xflags;
        }
        if (options.protocol() < 28) {
            // one byte only: a directory's zero becomes LONG_NAME, whose length word then follows as an int
            if (xflags == 0) {
                xflags = isDir ? LONG_NAME : TOP_DIR;
            }
            out.writeByte(xflags);
            return xflags;
        }
        if (xflags == 0 && !isDir) {
            xflags = TOP_DIR;
        }
        if ((xflags & 0xFF00) != 0 || xflags == 0) {
            xflags |= EXTENDED_FLAGS;
            out.writeShort(xflags);
        } else {
            out.writeByte(xflags);
        }
        return xflags;
    }

    /**
     * Ends the list (rsync/flist.c:write_end_of_flist). The error rides in the marker only where
     * the peer can read it there (a safe file list); returns whether it did, so the session knows
     * to report it otherwise (protocol &lt; 30: {@link #writeIoErrorTrailer}; 30: MSG_IO_ERROR).
     */
    public boolean writeEnd(ProtocolOutput out, int ioError) {
        boolean carried = ioError != 0 && options.useSafeFlist();
        if (options.varintFlags()) {
            out.writeVarint(0);
            out.writeVarint(carried ? ioError : 0);
        } else if (carried) {
            out.writeShort(XmitFlags.END_WITH_IO_ERROR);
            out.writeVarint(ioError);
        } else {
            out.writeByte(0);
        }
        return carried;
    }

    /**
     * The uid/gid name lists, if the options call for them (rsync/uidlist.c:send_id_lists); nothing with
     * incremental recursion, where the names went inline.
     */
    public void writeIdLists(ProtocolOutput out) {
        ids.write(out, options);
    }

    /** Protocol &lt; 30 only: the int32 I/O-error word that follows the id lists. */
    public void writeIoErrorTrailer(ProtocolOutput out, int ioError) {
        if (options.protocol() >= 30) {
            throw new IllegalStateException("the I/O-error trailer exists only before protocol 30");
        }
        out.writeInt(ioError);
    }
}
