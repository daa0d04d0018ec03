package dev.jrsync.mirror;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.Varints;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The byte format of a mirror's persisted tree index (rsync has no counterpart: a restarted rsync or lsyncd
 * always sends the whole tree). Entries are written as rsync's file list sends names (send_file_entry): the
 * bytes shared with the previous name are counted, not repeated, and numbers go as rsync's varlongs
 * (write_varlong). Layout:
 * <pre>
 * magic "jrsyncIX", u32 version
 * varint length + bytes: the source directory (absolute), then the destination it is mirrored to
 * u64 the wall-clock time of the save, in nanoseconds
 * per entry: u8 1, varint shared, varint suffix length, suffix bytes, varint mode (with the file type bits),
 *            varlong size, varlong mtime (ns), varlong dev, varlong inode, u8 checksum length + checksum
 * u8 0, varlong entry count, u32 CRC32C of all the bytes before it
 * </pre>
 * Decoding never trusts a length before it is checked against what is left, and reports every defect as a
 * {@link Decoded.Corrupt} or {@link Decoded.Mismatch}, never as an exception.
 */
final class IndexFile {
    private IndexFile() {}

    static final byte[] MAGIC = "jrsyncIX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Longer relative names than this are not indexed: the save gives up and the next start syncs in full. */
    static final int MAX_NAME = 32 * 1024;
    /** The source and destination paths in the header are at most this long. */
    static final int MAX_ROOT = 8 * 1024;
    /** A strong checksum is at most this long (SHA-512). */
    static final int MAX_SUM = 64;
    private static final int END = 0;
    private static final int ENTRY = 1;
    private static final int BUFFER = 64 * 1024;

    /** Which mirror an index belongs to, and when it was saved (wall clock, nanoseconds). */
    record Header(byte[] source, byte[] destination, long savedAtNanos) {}

    /**
     * One entry: a name relative to the source directory, its lstat as synced, and its strong checksum when one
     * is known (empty otherwise).
     */
    record Entry(byte[] name, int mode, long size, long mtimeNanos, long dev, long ino, byte[] sum) {}

    /** What a decode found. */
    sealed interface Decoded {
        /** A sound index of the expected mirror, whose {@code entries} were handed to the sink. */
        record Valid(long savedAtNanos, long entries) implements Decoded {}

        /** Not an index, or a damaged one: truncated, a checksum that does not match, a length out of range. */
        record Corrupt(String why) implements Decoded {}

        /** A sound index, of another source or destination. */
        record Mismatch(String why) implements Decoded {}
    }

    /** Receives the entries of a decode; what it was given counts only once the decode says {@link Decoded.Valid}. */
    interface Sink {
        void entry(Entry e);
    }

    /** Writes an index in buffer-sized pieces: memory stays one buffer whatever the tree's size. */
    static final class Writer {
        private final WritableByteChannel out;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private final CRC32C crc = new CRC32C();
        private final byte[] scratch = new byte[Varints.MAX_VARLONG_BYTES];
        private byte[] previous = new byte[0];
        private long count;

        Writer(WritableByteChannel out, Header header) throws IOException {
            this.out = out;
            buf.put(MAGIC).putInt(VERSION);
            bytes(header.source());
            bytes(header.destination());
            buf.putLong(header.savedAtNanos());
        }

        void add(Entry e) throws IOException {
            byte[] name = e.name();
            if (name.length == 0 || name.length > MAX_NAME || e.sum().length > MAX_SUM) {
                throw new IOException("an entry the index cannot hold (a name of " + name.length + " bytes)");
            }
            if (buf.remaining() < MAX_NAME + 128) {
                flush();
            }
            int shared = Arrays.mismatch(previous, name);
            shared = shared < 0 ? name.length : Math.min(shared, name.length);
            buf.put((byte) ENTRY);
            varlong(shared, 1);
            varlong(name.length - shared, 1);
            buf.put(name, shared, name.length - shared);
            varlong(e.mode() & 0xFFFFFFFFL, 1);
            varlong(e.size(), 3);
            varlong(e.mtimeNanos(), 4);
            varlong(e.dev(), 1);
            varlong(e.ino(), 1);
            buf.put((byte) e.sum().length).put(e.sum());
            previous = name;
            count++;
        }

        /** Ends the index with its count and checksum, and writes out what is buffered. */
        void finish() throws IOException {
            buf.put((byte) END);
            varlong(count, 1);
            flush();
            buf.putInt((int) crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }

        private void bytes(byte[] b) throws IOException {
            if (b.length > MAX_ROOT) {
                throw new IOException("a path of " + b.length + " bytes");
            }
            varlong(b.length, 1);
            buf.put(b);
        }

        private void varlong(long v, int min) {
            buf.put(scratch, 0, Varints.encodeVarlong(v, min, scratch, 0));
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }

    /**
     * Decodes the index in {@code in} (from its position to its limit), handing its entries to {@code sink},
     * provided it is sound and belongs to {@code source} mirrored to {@code destination}.
     */
    static Decoded decode(ByteBuffer in, byte[] source, byte[] destination, Sink sink) {
        ByteBuffer b = in.slice();
        if (b.remaining() < MAGIC.length + 4 + 4) {
            return new Decoded.Corrupt("truncated: " + b.remaining() + " bytes");
        }
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            return new Decoded.Corrupt("not a jrsync index");
        }
        int version = b.getInt();
        if (version != VERSION) {
            return new Decoded.Corrupt("version " + version + ", expected " + VERSION);
        }
        int body = b.limit() - 4;
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(body));
        if ((int) crc.getValue() != b.getInt(body)) {
            return new Decoded.Corrupt("checksum mismatch (truncated or damaged)");
        }
        b.limit(body);
        try {
            byte[] src = bytes(b);
            byte[] dst = bytes(b);
            long savedAt = b.getLong();
            if (!Arrays.equals(src, source) || !Arrays.equals(dst, destination)) {
                return new Decoded.Mismatch("it is the index of " + text(src) + " -> " + text(dst));
            }
            byte[] previous = new byte[0];
            long count = 0;
            while (true) {
                int tag = b.get();
                if (tag == END) {
                    break;
                }
                if (tag != ENTRY) {
                    return new Decoded.Corrupt("entry " + count + ": tag " + tag);
                }
                int shared = length(b, previous.length);
                int suffix = length(b, MAX_NAME - shared);
                if (shared + suffix == 0) {
                    return new Decoded.Corrupt("entry " + count + ": an empty name");
                }
                byte[] name = Arrays.copyOf(previous, shared + suffix);
                b.get(name, shared, suffix);
                long mode = varlong(b, 1);
                if (mode > 0xFFFFFFFFL) {
                    return new Decoded.Corrupt("entry " + count + ": mode " + mode);
                }
                long size = varlong(b, 3);
                long mtime = varlong(b, 4);
                long dev = varlong(b, 1);
                long ino = varlong(b, 1);
                int sumLength = b.get() & 0xFF;
                if (sumLength > MAX_SUM) {
                    return new Decoded.Corrupt("entry " + count + ": a checksum of " + sumLength + " bytes");
                }
                byte[] sum = new byte[sumLength];
                b.get(sum);
                sink.entry(new Entry(name, (int) mode, size, mtime, dev, ino, sum));
                previous = name;
                count++;
            }
            long announced = varlong(b, 1);
            if (announced != count || b.hasRemaining()) {
                return new Decoded.Corrupt(count + " entries where the index counts " + announced);
            }
            return new Decoded.Valid(savedAt, count);
        } catch (BufferUnderflowException e) {
            return new Decoded.Corrupt("truncated");
        } catch (ProtocolException | IllegalArgumentException e) {
            return new Decoded.Corrupt(e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[length(b, Math.min(MAX_ROOT, b.remaining()))];
        b.get(out);
        return out;
    }

    /** A length, checked against {@code max} before anything is allocated for it. */
    private static int length(ByteBuffer b, int max) {
        long n = varlong(b, 1);
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("a length of " + n + " where at most " + max + " fits");
        }
        return (int) n;
    }

    private static long varlong(ByteBuffer b, int min) {
        int lead = b.get() & 0xFF;
        int count = min - 1 + Varints.extraBytes(lead);
        if (count > 8) {
            throw new IllegalArgumentException("a number of " + count + " bytes");
        }
        byte[] rest = new byte[count];
        b.get(rest);
        return Varints.decodeVarlong(lead, rest, min);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
