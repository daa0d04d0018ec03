package dev.jrsync.checksum;

/**
 * An incremental whole-file digest: the transfer sum both sides compute over the file while the delta
 * flows ({@code rsync/checksum.c:sum_init}/{@code sum_update}/{@code sum_end}), or a {@code --checksum}
 * file-list sum ({@code file_checksum}). Reusable: {@link #finish} starts the next file.
 */
public final class FileDigest {
    private final ChecksumType type;
    private final DigestEngine engine;
    private final byte[] prefix;

    FileDigest(ChecksumType type, byte[] prefix) {
        this.type = type;
        this.engine = DigestEngine.create(type);
        this.prefix = prefix;
        start();
    }

    /** The digest a {@code --checksum} file list carries: the plain digest of the file, never seeded. */
    public static FileDigest forFileList(ChecksumType type) {
        if (type == ChecksumType.NONE) {
            throw new IllegalArgumentException("checksum \"none\" cannot be used for --checksum");
        }
        return new FileDigest(type, new byte[0]);
    }

    public ChecksumType type() {
        return type;
    }

    public int digestLength() {
        return type.digestLength();
    }

    public void update(byte[] buf, int off, int len) {
        engine.update(buf, off, len);
    }

    /** Writes the digest to {@code out[off..off+digestLength())} and resets for the next file. */
    public void finish(byte[] out, int off) {
        engine.finish(out, off);
        start();
    }

    public byte[] finish() {
        byte[] out = new byte[digestLength()];
        finish(out, 0);
        return out;
    }

    // rsync/checksum.c:sum_init -- protocol 27-29 MD4 hashes the seed before the file, even when it is 0.
    private void start() {
        if (prefix.length > 0) {
            engine.update(prefix, 0, prefix.length);
        }
    }
}
