package dev.jrsync.flist;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a file list ({@code struct file_struct}): the relative path as raw bytes plus the
 * attributes that travel on the wire. Kept small because a list may hold millions of entries: an entry
 * read from the wire shares its directory part with its siblings and keeps only its last component
 * (rsync's {@code file->dirname} beside {@code file->basename}), the directory flags ride in spare bits of
 * the mode, and what few entries have (a device number, a link target, a {@code -c} checksum) lives in one
 * optional side object. A 1,000,000-entry list costs about 92 bytes of heap per entry instead of 132
 * (benchmarks/FLIST-MEMORY.md).
 *
 * <p>Only two things change after construction, both inside this package: the owner ids when the
 * receiver maps them through the id lists, and the directory flags when duplicate directories are
 * merged.
 */
public sealed class FileEntry permits FileEntry.Scanned, FileEntry.Accessed {
    /** The directory-flag bits an entry may carry ({@link XmitFlags#TOP_DIR}, {@link XmitFlags#NO_CONTENT_DIR}). */
    public static final int DIR_FLAG_MASK = XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR;
    /** A valid mode fits in 16 bits ({@link FileMode#isValid}); the directory flags sit above it. */
    private static final int MODE_BITS = 0xFFFF;
    private static final int DIR_FLAG_SHIFT = 16;

    /** The name up to its last '/', shared by the entries of one directory; null if the whole name is in base. */
    private final byte[] dir;
    /** The name after its last '/' (the whole name when dir is null). */
    private final byte[] base;
    /** {@code st_mode} in the low 16 bits, the directory flags shifted above them. */
    private int modeAndDirFlags;
    private final long size;
    private final long mtime;
    private final int mtimeNsec;
    private int uid;
    private int gid;
    /**
     * Null unless the entry has a device number, a link target, a checksum, a hard-link group, extended attributes
     * or an ACL; replaced only when a receiver maps the ACL's ids to its own.
     */
    private Rare rare;

    /**
     * The attributes few entries carry, kept out of the common entry; {@code hardLinkGroup} -1 for none, {@code
     * xattrs}, {@code acl} and {@code defaultAcl} null for none.
     */
    private record Rare(int rdevMajor, int rdevMinor, byte[] linkTarget, byte[] checksum, int hardLinkGroup,
                        XattrSet xattrs, RsyncAcl acl, RsyncAcl defaultAcl) {}

    /**
     * An entry the sender found on its disk: it also knows the local directory holding it. Apart from the
     * wire's, so that a received entry does not pay for a field it never uses.
     */
    static final class Scanned extends FileEntry {
        private final Path localDir;
        private final long atime;

        private Scanned(Builder b) {
            super(b);
            this.localDir = b.localDir;
            this.atime = b.atime;
        }

        @Override
        public Path localDir() {
            return localDir;
        }

        @Override
        public long atime() {
            return atime;
        }
    }

    /** An entry received with its access time ({@code -U}): apart, so that a list without it does not pay for it. */
    static final class Accessed extends FileEntry {
        private final long atime;

        private Accessed(Builder b) {
            super(b);
            this.atime = b.atime;
        }

        @Override
        public long atime() {
            return atime;
        }
    }

    private FileEntry(Builder b) {
        this.dir = b.dir;
        this.base = b.base;
        this.modeAndDirFlags = b.mode | b.dirFlags << DIR_FLAG_SHIFT;
        this.size = b.size;
        this.mtime = b.mtime;
        this.mtimeNsec = b.mtimeNsec;
        this.uid = b.uid;
        this.gid = b.gid;
        this.rare = b.rdevMajor != 0 || b.rdevMinor != 0 || b.linkTarget != null || b.checksum != null
                || b.hardLinkGroup >= 0 || b.xattrs != null || b.acl != null || b.defaultAcl != null
                ? new Rare(b.rdevMajor, b.rdevMinor, b.linkTarget, b.checksum, b.hardLinkGroup, b.xattrs, b.acl,
                        b.defaultAcl)
                : null;
    }

    public static Builder builder(byte[] name, int mode) {
        return new Builder(null, name, mode);
    }

    public static Builder builder(String name, int mode) {
        return new Builder(null, PathBytes.bytes(name), mode);
    }

    /**
     * An entry named {@code dir/base}: {@code dir} (not empty) is kept as given, to be shared with the
     * other entries of that directory, and {@code base} holds no '/'.
     */
    static Builder builder(byte[] dir, byte[] base, int mode) {
        return new Builder(Objects.requireNonNull(dir, "dir"), base, mode);
    }

    /**
     * The relative path ('/' separators, no trailing slash); do not modify the array. An entry built from
     * a whole name gives that array back; one read from the wire (its directory shared) gets a new array
     * at each call, so a loop over a list should call this once per entry.
     */
    public byte[] name() {
        if (dir == null) {
            return base;
        }
        byte[] name = new byte[dir.length + 1 + base.length];
        System.arraycopy(dir, 0, name, 0, dir.length);
        name[dir.length] = '/';
        System.arraycopy(base, 0, name, dir.length + 1, base.length);
        return name;
    }

    /** A bare entry of type {@code type} with the name of {@code e}, its directory part shared: a search key. */
    static FileEntry namedLike(FileEntry e, int type) {
        return new Builder(e.dir, e.base, type).build();
    }

    /** The length of {@link #name()}, without building it. */
    public int nameLength() {
        return dir == null ? base.length : dir.length + 1 + base.length;
    }

    /** The shared directory part of the name (before its last '/'), or null if {@link #basePart} is the whole name. */
    byte[] dirPart() {
        return dir;
    }

    /** The name after {@link #dirPart} and its '/', or the whole name. */
    byte[] basePart() {
        return base;
    }

    /** Whether the entry carries the side object of a device number, link target or checksum. */
    boolean hasRareAttributes() {
        return rare != null;
    }

    /** The name as rsync prints it (control characters and bytes that are not UTF-8 as {@code \\#ooo}). */
    public String displayName() {
        return Escaped.of(name());
    }

    /** Full {@code st_mode}, type bits included. */
    public int mode() {
        return modeAndDirFlags & MODE_BITS;
    }

    public long size() {
        return size;
    }

    public long mtime() {
        return mtime;
    }

    public int mtimeNsec() {
        return mtimeNsec;
    }

    /**
     * The access time in whole seconds ({@code F_ATIME}): what the scan found, or what an {@code --atimes} list sent;
     * 0 for a directory or where the list does not carry it.
     */
    public long atime() {
        return 0;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public int rdevMajor() {
        return rare == null ? 0 : rare.rdevMajor;
    }

    public int rdevMinor() {
        return rare == null ? 0 : rare.rdevMinor;
    }

    /** The symlink target, or null for other types (and for symlinks sent without {@code -l}). */
    public byte[] linkTarget() {
        return rare == null ? null : rare.linkTarget;
    }

    /** The whole-file checksum sent with {@code -c}, or null. */
    public byte[] checksum() {
        return rare == null ? null : rare.checksum;
    }

    /**
     * With {@code -H}, which of the list's groups of hard-linked names this entry belongs to (entries of one group
     * share one group number); -1 for an entry with no other name. A sender numbers the inodes it found with more
     * than one link; a receiver takes rsync's group number ({@code F_HL_GNUM}: the index of the group's first entry).
     */
    public int hardLinkGroup() {
        return rare == null ? -1 : rare.hardLinkGroup;
    }

    /**
     * With {@code -X}, the entry's extended attributes as they travel ({@code F_XATTR}): a sender's as read from its
     * file, a receiver's as kept from the wire; {@link XattrSet#EMPTY} when it has none.
     */
    public XattrSet xattrs() {
        return rare == null || rare.xattrs == null ? XattrSet.EMPTY : rare.xattrs;
    }

    /**
     * The sender's local directory holding this entry (rsync's {@code file->dirname}), or null on a receiving
     * side. It is shared by all entries of one directory, which costs less than a path per entry.
     */
    public Path localDir() {
        return null;
    }

    /** {@link XmitFlags#TOP_DIR} and/or {@link XmitFlags#NO_CONTENT_DIR}; always 0 for non-directories. */
    public int dirFlags() {
        return modeAndDirFlags >>> DIR_FLAG_SHIFT;
    }

    /** A transfer-root directory (named on the command line, or the {@code .} of a source ending in '/'). */
    public boolean isTopDir() {
        return (dirFlags() & XmitFlags.TOP_DIR) != 0;
    }

    /** A directory whose contents are not part of the transfer (it must not widen {@code --delete}). */
    public boolean isNoContentDir() {
        return (dirFlags() & XmitFlags.NO_CONTENT_DIR) != 0;
    }

    public boolean isDirectory() {
        return FileMode.isDirectory(mode());
    }

    /**
     * A source the sender did not find, listed with mode 0 for the receiver to delete what it has under the name
     * ({@code --delete-missing-args}, {@code rsync/flist.c:send_file_list}).
     */
    public boolean isMissing() {
        return mode() == 0;
    }

    /** A {@link #isMissing missing} source named {@code name}, found missing in {@code localDir}. */
    public static FileEntry missing(byte[] name, Path localDir) {
        return builder(name, 0).missing().localDir(localDir).build();
    }

    public boolean isRegular() {
        return FileMode.isRegular(mode());
    }

    public boolean isSymlink() {
        return FileMode.isSymlink(mode());
    }

    public boolean isDevice() {
        return FileMode.isDevice(mode());
    }

    public boolean isSpecial() {
        return FileMode.isSpecial(mode());
    }

    /** The transfer root: a directory named exactly {@code .}. */
    public boolean isRootDot() {
        return dir == null && base.length == 1 && base[0] == '.' && isDirectory();
    }

    /**
     * With {@code -A}, the entry's access ACL as it travels ({@code F_ACL}): condensed, without what its mode says
     * ({@link RsyncAcl#stripped}); {@link RsyncAcl#EMPTY} for a file whose mode says it all.
     */
    public RsyncAcl acl() {
        return rare == null || rare.acl == null ? RsyncAcl.EMPTY : rare.acl;
    }

    /** With {@code -A}, a directory's default ACL ({@code F_DIR_DEFACL}); {@link RsyncAcl#EMPTY} for none. */
    public RsyncAcl defaultAcl() {
        return rare == null || rare.defaultAcl == null ? RsyncAcl.EMPTY : rare.defaultAcl;
    }

    /** A receiver's ACLs with the sender's ids made its own ({@code match_acl_ids}). */
    void setAcls(RsyncAcl acl, RsyncAcl defaultAcl) {
        Rare r = rare;
        if (r == null) {
            return; // nothing to map
        }
        rare = new Rare(r.rdevMajor, r.rdevMinor, r.linkTarget, r.checksum, r.hardLinkGroup, r.xattrs,
                Builder.orNull(acl), Builder.orNull(defaultAcl));
    }

    void setOwner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    void setDirFlags(int dirFlags) {
        this.modeAndDirFlags = mode() | dirFlags << DIR_FLAG_SHIFT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry e
                && modeAndDirFlags == e.modeAndDirFlags && size == e.size && mtime == e.mtime
                && mtimeNsec == e.mtimeNsec && uid == e.uid && gid == e.gid
                && rdevMajor() == e.rdevMajor() && rdevMinor() == e.rdevMinor()
                && Arrays.equals(name(), e.name())
                && Arrays.equals(linkTarget(), e.linkTarget()) && Arrays.equals(checksum(), e.checksum());
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(name()), mode(), size, mtime, mtimeNsec, uid, gid);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(displayName());
        if (isDirectory()) {
            sb.append('/');
        }
        sb.append(" mode=0").append(Integer.toOctalString(mode())).append(" size=").append(size)
                .append(" mtime=").append(mtime).append('.').append(mtimeNsec)
                .append(" uid=").append(Integer.toUnsignedString(uid))
                .append(" gid=").append(Integer.toUnsignedString(gid));
        if (isDevice()) {
            sb.append(" rdev=").append(Integer.toUnsignedString(rdevMajor())).append(',')
                    .append(Integer.toUnsignedString(rdevMinor()));
        }
        if (linkTarget() != null) {
            sb.append(" -> ").append(Escaped.of(linkTarget()));
        }
        if (dirFlags() != 0) {
            sb.append(" dirFlags=0x").append(Integer.toHexString(dirFlags()));
        }
        return sb.toString();
    }

    /** Collects the attributes of one entry; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final byte[] dir;
        private final byte[] base;
        private final int mode;
        private long size;
        private long mtime;
        private int mtimeNsec;
        private long atime;
        private int uid;
        private int gid;
        private int rdevMajor;
        private int rdevMinor;
        private byte[] linkTarget;
        private byte[] checksum;
        private int hardLinkGroup = -1;
        private XattrSet xattrs;
        private RsyncAcl acl;
        private RsyncAcl defaultAcl;
        private int dirFlags;
        private Path localDir;
        private boolean missing;

        private Builder(byte[] dir, byte[] base, int mode) {
            this.dir = dir;
            this.base = Objects.requireNonNull(base, "name");
            this.mode = mode;
        }

        public Builder size(long size) {
            this.size = size;
            return this;
        }

        public Builder mtime(long seconds, int nanos) {
            this.mtime = seconds;
            this.mtimeNsec = nanos;
            return this;
        }

        public Builder atime(long seconds) {
            this.atime = seconds;
            return this;
        }

        public Builder owner(int uid, int gid) {
            this.uid = uid;
            this.gid = gid;
            return this;
        }

        public Builder rdev(int major, int minor) {
            this.rdevMajor = major;
            this.rdevMinor = minor;
            return this;
        }

        public Builder linkTarget(byte[] target) {
            this.linkTarget = target;
            return this;
        }

        public Builder checksum(byte[] sum) {
            this.checksum = sum;
            return this;
        }

        /** See {@link FileEntry#acl()} and {@link FileEntry#defaultAcl()}; empty ones cost nothing. */
        public Builder acls(RsyncAcl acl, RsyncAcl defaultAcl) {
            this.acl = orNull(acl);
            this.defaultAcl = orNull(defaultAcl);
            return this;
        }

        private static RsyncAcl orNull(RsyncAcl acl) {
            return RsyncAcl.EMPTY.equals(acl) ? null : acl;
        }

        /** See {@link FileEntry#xattrs()}; an empty set costs nothing. */
        public Builder xattrs(XattrSet set) {
            this.xattrs = set.isEmpty() ? null : set;
            return this;
        }

        /** See {@link FileEntry#hardLinkGroup()}. */
        public Builder hardLinkGroup(int group) {
            this.hardLinkGroup = group;
            return this;
        }

        public Builder dirFlags(int flags) {
            this.dirFlags = flags;
            return this;
        }

        /** Allows mode 0, which marks a {@link #isMissing missing} source. */
        public Builder missing() {
            this.missing = true;
            return this;
        }

        public Builder localDir(Path dir) {
            this.localDir = dir;
            return this;
        }

        public FileEntry build() {
            if (base.length == 0) {
                throw new IllegalArgumentException("empty file name");
            }
            if (!FileMode.isValid(mode) && !(missing && mode == 0)) {
                throw new IllegalArgumentException("invalid file mode 0" + Integer.toOctalString(mode));
            }
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size);
            }
            if (mtimeNsec < 0 || mtimeNsec > 999_999_999) {
                throw new IllegalArgumentException("nanoseconds out of range: " + mtimeNsec);
            }
            if ((dirFlags & ~DIR_FLAG_MASK) != 0 || (dirFlags != 0 && !FileMode.isDirectory(mode))) {
                throw new IllegalArgumentException("bad directory flags 0x" + Integer.toHexString(dirFlags));
            }
            if (linkTarget != null && !FileMode.isSymlink(mode)) {
                throw new IllegalArgumentException("link target on a non-symlink");
            }
            if (checksum != null && !FileMode.isRegular(mode)) {
                throw new IllegalArgumentException("file checksum on a non-regular file");
            }
            if (hardLinkGroup >= 0 && FileMode.isDirectory(mode)) {
                throw new IllegalArgumentException("hard-link group on a directory");
            }
            return localDir != null ? new Scanned(this) : atime != 0 ? new Accessed(this) : new FileEntry(this);
        }
    }
}
