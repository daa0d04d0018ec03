package dev.jrsync.flist;

import dev.jrsync.fs.PathBytes;
import dev.jrsync.session.Escaped;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a file list ({@code struct file_struct}): the relative path as raw bytes plus the
 * attributes that travel on the wire. Kept flat (no per-entry collections) because a list may hold
 * millions of entries.
 *
 * <p>Only two things change after construction, both inside this package: the owner ids when the
 * receiver maps them through the id lists, and the directory flags when duplicate directories are
 * merged.
 */
public final class FileEntry {
    /** The directory-flag bits an entry may carry ({@link XmitFlags#TOP_DIR}, {@link XmitFlags#NO_CONTENT_DIR}). */
    public static final int DIR_FLAG_MASK = XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR;

    private final byte[] name;
    private final int mode;
    private final long size;
    private final long mtime;
    private final int mtimeNsec;
    private int uid;
    private int gid;
    private final int rdevMajor;
    private final int rdevMinor;
    private final byte[] linkTarget;
    private final byte[] checksum;
    private int dirFlags;
    private final Path localDir;

    private FileEntry(Builder b) {
        this.name = b.name;
        this.mode = b.mode;
        this.size = b.size;
        this.mtime = b.mtime;
        this.mtimeNsec = b.mtimeNsec;
        this.uid = b.uid;
        this.gid = b.gid;
        this.rdevMajor = b.rdevMajor;
        this.rdevMinor = b.rdevMinor;
        this.linkTarget = b.linkTarget;
        this.checksum = b.checksum;
        this.dirFlags = b.dirFlags;
        this.localDir = b.localDir;
    }

    public static Builder builder(byte[] name, int mode) {
        return new Builder(name, mode);
    }

    public static Builder builder(String name, int mode) {
        return new Builder(PathBytes.bytes(name), mode);
    }

    /** The relative path ('/' separators, no trailing slash); the array is shared, do not modify it. */
    public byte[] name() {
        return name;
    }

    /** The name as rsync prints it (control characters and bytes that are not UTF-8 as {@code \\#ooo}). */
    public String displayName() {
        return Escaped.of(name);
    }

    /** Full {@code st_mode}, type bits included. */
    public int mode() {
        return mode;
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

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public int rdevMajor() {
        return rdevMajor;
    }

    public int rdevMinor() {
        return rdevMinor;
    }

    /** The symlink target, or null for other types (and for symlinks sent without {@code -l}). */
    public byte[] linkTarget() {
        return linkTarget;
    }

    /** The whole-file checksum sent with {@code -c}, or null. */
    public byte[] checksum() {
        return checksum;
    }

    /**
     * The sender's local directory holding this entry (rsync's {@code file->dirname}), or null on a receiving
     * side. It is shared by all entries of one directory, which costs less than a path per entry.
     */
    public Path localDir() {
        return localDir;
    }

    /** {@link XmitFlags#TOP_DIR} and/or {@link XmitFlags#NO_CONTENT_DIR}; always 0 for non-directories. */
    public int dirFlags() {
        return dirFlags;
    }

    /** A transfer-root directory (named on the command line, or the {@code .} of a source ending in '/'). */
    public boolean isTopDir() {
        return (dirFlags & XmitFlags.TOP_DIR) != 0;
    }

    /** A directory whose contents are not part of the transfer (it must not widen {@code --delete}). */
    public boolean isNoContentDir() {
        return (dirFlags & XmitFlags.NO_CONTENT_DIR) != 0;
    }

    public boolean isDirectory() {
        return FileMode.isDirectory(mode);
    }

    public boolean isRegular() {
        return FileMode.isRegular(mode);
    }

    public boolean isSymlink() {
        return FileMode.isSymlink(mode);
    }

    public boolean isDevice() {
        return FileMode.isDevice(mode);
    }

    public boolean isSpecial() {
        return FileMode.isSpecial(mode);
    }

    /** The transfer root: a directory named exactly {@code .}. */
    public boolean isRootDot() {
        return name.length == 1 && name[0] == '.' && isDirectory();
    }

    void setOwner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    void setDirFlags(int dirFlags) {
        this.dirFlags = dirFlags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry e
                && mode == e.mode && size == e.size && mtime == e.mtime && mtimeNsec == e.mtimeNsec
                && uid == e.uid && gid == e.gid && rdevMajor == e.rdevMajor && rdevMinor == e.rdevMinor
                && dirFlags == e.dirFlags && Arrays.equals(name, e.name)
                && Arrays.equals(linkTarget, e.linkTarget) && Arrays.equals(checksum, e.checksum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(name), mode, size, mtime, mtimeNsec, uid, gid);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(displayName());
        if (isDirectory()) {
            sb.append('/');
        }
        sb.append(" mode=0").append(Integer.toOctalString(mode)).append(" size=").append(size)
                .append(" mtime=").append(mtime).append('.').append(mtimeNsec)
                .append(" uid=").append(Integer.toUnsignedString(uid))
                .append(" gid=").append(Integer.toUnsignedString(gid));
        if (isDevice()) {
            sb.append(" rdev=").append(Integer.toUnsignedString(rdevMajor)).append(',')
                    .append(Integer.toUnsignedString(rdevMinor));
        }
        if (linkTarget != null) {
            sb.append(" -> ").append(Escaped.of(linkTarget));
        }
        if (dirFlags != 0) {
            sb.append(" dirFlags=0x").append(Integer.toHexString(dirFlags));
        }
        return sb.toString();
    }

    /** Collects the attributes of one entry; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final byte[] name;
        private final int mode;
        private long size;
        private long mtime;
        private int mtimeNsec;
        private int uid;
        private int gid;
        private int rdevMajor;
        private int rdevMinor;
        private byte[] linkTarget;
        private byte[] checksum;
        private int dirFlags;
        private Path localDir;

        private Builder(byte[] name, int mode) {
            this.name = Objects.requireNonNull(name, "name");
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

        public Builder dirFlags(int flags) {
            this.dirFlags = flags;
            return this;
        }

        public Builder localDir(Path dir) {
            this.localDir = dir;
            return this;
        }

        public FileEntry build() {
            if (name.length == 0) {
                throw new IllegalArgumentException("empty file name");
            }
            if (!FileMode.isValid(mode)) {
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
            return new FileEntry(this);
        }
    }
}
