package dev.jrsync.delta.token;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Whether this JDK's zlib lets {@link Deflater#setDictionary} append matched-block history to a raw
 * deflate stream after a sync flush, the stand-in for rsync's {@code Z_INSERT_ONLY}
 * ({@code rsync/token.c:send_deflated_token}). Stock zlib allows it (raw streams, no pending
 * input); a JDK built against another zlib might not, so it is checked once by compressing a copy of
 * an inserted block and decoding it the way rsync's receiver would (stored block, then the data). If
 * the check fails, the zlib sender sends matched blocks as literal data instead: larger, still correct.
 */
final class DeflateHistory {
    private static final boolean INSERT_WORKS = probe();

    private DeflateHistory() {
    }

    static boolean insertWorks() {
        return INSERT_WORKS;
    }

    /** Prefix, sync flush, inserted block, then the block again: it must shrink and decode intact. */
    private static boolean probe() {
        byte[] block = new byte[4096];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < block.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            block[i] = (byte) x;
        }
        int prefixLen = 512;
        Deflater deflater = new Deflater(6, true);
        Inflater inflater = new Inflater(true);
        try {
            byte[] prefix = new byte[prefixLen * 2];
            deflater.setInput(block, block.length - prefixLen, prefixLen);
            int p = deflater.deflate(prefix, 0, prefix.length, Deflater.SYNC_FLUSH);
            deflater.setDictionary(block, 0, block.length);
            byte[] copy = new byte[block.length];
            deflater.setInput(block);
            int n = deflater.deflate(copy, 0, copy.length, Deflater.SYNC_FLUSH);
            if (n >= block.length / 2) {
                return false;
            }
            byte[] stored = new byte[5 + block.length];
            stored[1] = (byte) block.length;
            stored[2] = (byte) (block.length >>> 8);
            stored[3] = (byte) ~stored[1];
            stored[4] = (byte) ~stored[2];
            System.arraycopy(block, 0, stored, 5, block.length);
            byte[] out = new byte[block.length];
            inflater.setInput(prefix, 0, p);
            if (inflater.inflate(out) != prefixLen) {
                return false;
            }
            inflater.setInput(stored);
            if (inflater.inflate(out) != block.length) {
                return false;
            }
            inflater.setInput(copy, 0, n);
            return inflater.inflate(out) == block.length && Arrays.equals(out, block);
        } catch (IllegalArgumentException | DataFormatException e) {
            return false;
        } finally {
            deflater.end();
            inflater.end();
        }
    }
}
