package dev.jrsync.delta;

import dev.jrsync.checksum.BlockHasher;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.checksum.RollingChecksum;
import dev.jrsync.checksum.StrongChecksum;
import dev.jrsync.delta.token.TokenWriter;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * The sender's block search ({@code rsync/match.c:match_sums}): slides a window over the source file,
 * looks the rolling sum up in a hash of the generator's sums, confirms a hit with the strong sum, and
 * turns the file into literal runs and block references for a {@link TokenWriter}. The source streams
 * through a buffer of 1 MiB (or two blocks, if larger), so files of any size need constant memory; a sender
 * that has met only small files holds a buffer the size of the largest (see {@link #sizeWindowFor}).
 *
 * <p>One instance per sending thread: it reuses its buffers, hash table and digests across files.
 */
public final class Matcher {
    /**
     * Most hash-chain entries examined at one offset ({@code MAX_CHAIN_LEN} in 3.5.0's match.c). Without
     * a bound, a signature whose blocks share one weak sum makes the search quadratic (CVE-2026-70453);
     * anything skipped is sent as literal data, which any receiver accepts.
     */
    public static final int MAX_CHAIN_LEN = 1024;

    private static final int MIN_BUFFER = 1 << 20;
    /** The smallest window allocated: files below it share one buffer of this size. */
    private static final int SMALL_WINDOW = 8 << 10;
    private static final int GOLDEN = 0x9E3779B1;

    private final BlockHasher hasher;
    private final FileDigest fileDigest;
    private final byte[] digest;
    private final byte[] fileSum;
    private final RollingChecksum rolling = new RollingChecksum();
    private final MaxAlloc alloc;

    private byte[] buf = new byte[0];
    private int[] table = new int[0];
    private int[] next = new int[0];

    // Per-file state: buf[0..filled) holds source bytes [bufBase, bufBase + filled).
    private ReadableByteChannel source;
    private long length;
    private long bufBase;
    private int filled;
    private IOException readError;
    private boolean shortRead;

    /** What one file's search produced. {@code readError} is set when the source failed or ended early. */
    public record Result(long literalBytes, long matchedBytes, int matchedBlocks, long hashHits, long falseAlarms,
            byte[] fileSum,
            IOException readError, boolean shortRead) {
        /** Whether the sender deliberately sent a bad whole-file checksum because of a read problem. */
        public boolean failed() {
            return readError != null || shortRead;
        }
    }

    /**
     * {@code alloc} is charged for the hash table and window, whose sizes follow the peer's sum header
     * (held until the session ends).
     */
    public Matcher(StrongChecksum checksum, MaxAlloc alloc) {
        this.alloc = alloc;
        // checksum "none" makes rsync send whole files: there are no block sums to match
        this.hasher = checksum.type() == ChecksumType.NONE ? null : checksum.newBlockHasher();
        this.fileDigest = checksum.newFileDigest();
        this.digest = new byte[hasher == null ? 0 : hasher.digestLength()];
        this.fileSum = new byte[fileDigest.digestLength()];
    }

    /**
     * Sends {@code length} bytes of {@code source} as a delta against {@code sums}: tokens to
     * {@code writer}, then (after {@link TokenWriter#endFile()}) the whole-file checksum to {@code out}
     * ({@code rsync/match.c:match_sums}). If the source fails or ends early the rest reads as zeros and
     * the checksum is deliberately wrong, so the receiver discards the file, as rsync does.
     */
    public Result sendFile(ReadableByteChannel source, long length, BlockSums sums, TokenWriter writer, ProtocolOutput out) {
        return send(source, length, sums, 0, false, writer, out);
    }

    /**
     * One file for {@code --append} or {@code --append-verify} ({@code rsync/match.c:match_sums} with
     * {@code append_mode}): the receiver keeps the first {@code kept} bytes of its copy and sent no block sums.
     * The rest goes as literal data; the kept bytes are not sent, and go into the whole-file sum only with
     * {@code verify}, as the receiver sums its own copy of them only then.
     */
    public Result appendFile(ReadableByteChannel source, long length, long kept, boolean verify, TokenWriter writer,
                             ProtocolOutput out) {
        return send(source, length, null, Math.min(kept, length), verify, writer, out);
    }

    private Result send(ReadableByteChannel source, long length, BlockSums sums, long kept, boolean sumKept,
                        TokenWriter writer, ProtocolOutput out) {
        this.source = source;
        this.length = length;
        this.bufBase = 0;
        this.filled = 0;
        this.readError = null;
        this.shortRead = false;
        sizeWindowFor(length);
        Search search = new Search(writer);
        if (kept > 0) {
            for (long done = 0; done < kept; done += filled) {
                filled = 0;
                readSource((int) Math.min(buf.length, kept - done), sumKept);
            }
            bufBase = kept;
            filled = 0;
            search.litStart = kept;
        }
        if (length > 0 && sums != null && sums.count() > 0) {
            if (hasher == null) {
                throw new ProtocolException("the receiver sent block sums under checksum \"none\"");
            }
            search.hashSearch(sums);
        }
        search.literalUpTo(length);
        writer.endFile();
        fileDigest.finish(fileSum, 0);
        boolean failed = readError != null || shortRead;
        if (failed) {
            spoilChecksum(fileSum);
        }
        out.write(fileSum, 0, fileSum.length);
        this.source = null;
        return new Result(search.literalBytes, search.matchedBytes, search.matchedBlocks, search.hashHits, search.falseAlarms,
                fileSum.clone(),
                readError, shortRead);
    }

    /**
     * All bits off, unless the real sum happens to be that, then the last byte 1
     * ({@code rsync/match.c:match_sums} after a read error).
     */
    private static void spoilChecksum(byte[] sum) {
        boolean allZero = true;
        for (byte b : sum) {
            allZero &= b == 0;
        }
        Arrays.fill(sum, (byte) 0);
        if (allZero) {
            sum[sum.length - 1] = 1;
        }
    }

    /** One file's walk; literal bytes pending from {@code litStart} up to the window. */
    private final class Search {
        private final TokenWriter writer;
        private long litStart;
        private long literalBytes;
        private long matchedBytes;
        private int matchedBlocks;
        private long hashHits;
        private long falseAlarms;

        Search(TokenWriter writer) {
            this.writer = writer;
        }

        // rsync/match.c:hash_search
        void hashSearch(BlockSums sums) {
            SumHead head = sums.head();
            int count = head.count();
            int blength = head.blockLength();
            int shift = buildHashTable(sums);
            ensureBuffer(2 * blength + 1);
            int[] table = Matcher.this.table;
            int[] next = Matcher.this.next;
            RollingChecksum roll = rolling;

            // Windows start at 0..end; a later start leaves fewer bytes than even the last block.
            long end = length - head.lengthOfBlock(count - 1);
            long pos = 0;
            int wantI = 0;
            int k = (int) Math.min(blength, length);
            fill(pos, pos + k + 1);
            int p = 0;
            roll.init(buf, p, k);
            while (pos <= end) {
                int sum = roll.value();
                int first = table[(sum * GOLDEN) >>> shift];
                if (first >= 0) {
                    hashHits++;
                    int i = findMatch(sums, first, sum, p, k, wantI);
                    if (i >= 0) {
                        flushLiteral(pos);
                        writer.match(i, buf, p, k);
                        matchedBytes += k;
                        matchedBlocks++;
                        wantI = i + 1;
                        pos += k;
                        litStart = pos;
                        if (pos > end) {
                            break;
                        }
                        k = (int) Math.min(blength, length - pos);
                        fill(pos, pos + k + 1);
                        p = (int) (pos - bufBase);
                        roll.init(buf, p, k);
                        continue;
                    }
                }
                if (pos == end) {
                    break;
                }
                int in = p + k;
                if (in >= filled && bufBase + filled < length) {
                    fill(pos, pos + k + 1);
                    p = (int) (pos - bufBase);
                    in = p + k;
                }
                if (in < filled) {
                    roll.roll(buf[p], buf[in]);
                } else {
                    roll.rollOut(buf[p]);
                    k--;
                }
                p++;
                pos++;
            }
        }

        /**
         * The matching block for the window at {@code buf[p..p+k)} with weak sum {@code sum}, or -1.
         * The strong sum is computed at most once, and only for a candidate of the window's length; the
         * block after the previous match wins over an equal one elsewhere, so runs of consecutive
         * blocks stay consecutive (which the compressed token format encodes compactly).
         */
        private int findMatch(BlockSums sums, int first, int sum, int p, int k, int wantI) {
            SumHead head = sums.head();
            boolean haveStrong = false;
            int examined = 0;
            for (int i = first; i >= 0 && examined < MAX_CHAIN_LEN; i = next[i], examined++) {
                if (sums.sum1(i) != sum || head.lengthOfBlock(i) != k) {
                    continue;
                }
                if (!haveStrong) {
                    hasher.hash(buf, p, k, digest, 0);
                    haveStrong = true;
                }
                if (!sums.sum2Matches(i, digest, 0)) {
                    falseAlarms++;
                    continue;
                }
                if (i != wantI && wantI < head.count() && sums.sum1(wantI) == sum && head.lengthOfBlock(wantI) == k
                        && sums.sum2Matches(wantI, digest, 0)) {
                    return wantI;
                }
                return i;
            }
            return -1;
        }

        /** Sends the pending literal bytes before {@code upTo} (all of them are in the buffer). */
        private void flushLiteral(long upTo) {
            if (upTo > litStart) {
                int n = (int) (upTo - litStart);
                writer.literal(buf, (int) (litStart - bufBase), n);
                literalBytes += n;
                litStart = upTo;
            }
        }

        /** Sends everything from {@code litStart} to {@code upTo} as literal data, reading as needed. */
        void literalUpTo(long upTo) {
            while (litStart < upTo) {
                if (litStart >= bufBase + filled) {
                    fill(litStart, upTo);
                }
                flushLiteral(Math.min(upTo, bufBase + filled));
            }
        }

        /**
         * Makes the buffer hold source bytes {@code [keepFrom, upTo)} (capped at the file's length): sends
         * the pending literal before {@code keepFrom}, slides what is kept to the front and reads.
         */
        private void fill(long keepFrom, long upTo) {
            upTo = Math.min(upTo, length);
            if (upTo <= bufBase + filled) {
                return;
            }
            flushLiteral(keepFrom);
            int keep = (int) (litStart - bufBase);
            System.arraycopy(buf, keep, buf, 0, filled - keep);
            filled -= keep;
            bufBase = litStart;
            readSource((int) Math.min(buf.length, length - bufBase));
        }
    }

    /** Sizes the hash table to at least eight times the block count and chains every block in ascending order. */
    // rsync/match.c:build_hash_table
    private int buildHashTable(BlockSums sums) {
        int count = sums.count();
        // 8 to 16 slots a block: a window with no match then rarely meets an occupied slot (at 2 to 4 slots
        // a block about one window in five did, and walking those chains cost as much as rolling the sum).
        int bits = Math.max(12, 36 - Integer.numberOfLeadingZeros(count));
        if (table.length != 1 << bits) {
            alloc.grow(4L * table.length, 4L << bits, "sender", "hash table");
            table = new int[1 << bits];
        }
        if (next.length < count) {
            alloc.grow(4L * next.length, 4L * count, "sender", "hash table");
            next = new int[count];
        }
        Arrays.fill(table, -1);
        int shift = 32 - bits;
        for (int i = count - 1; i >= 0; i--) {
            int slot = (sums.sum1(i) * GOLDEN) >>> shift;
            next[i] = table[slot];
            table[slot] = i;
        }
        return shift;
    }

    /**
     * Grows the window to hold the whole file, up to {@link #MIN_BUFFER}, in powers of two. A daemon serving
     * many small-file pulls at once held 1 MiB per session from the first file on: zeroed at allocation, alive
     * for the whole session and so promoted to the old generation, which grew by that much per batch.
     */
    private void sizeWindowFor(long length) {
        long whole = length <= SMALL_WINDOW ? SMALL_WINDOW : Long.highestOneBit(length - 1) << 1;
        if (buf.length < Math.min(whole, MIN_BUFFER)) {
            buf = new byte[(int) Math.min(whole, MIN_BUFFER)];
        }
    }

    /** Grows the window to two blocks; what exceeds the fixed {@link #MIN_BUFFER} is charged to {@code alloc}. */
    private void ensureBuffer(int size) {
        if (buf.length < size) {
            alloc.grow(Math.max(buf.length, MIN_BUFFER), Math.max(size, MIN_BUFFER), "sender", "match window");
            buf = new byte[size];
        }
    }

    /** Reads until {@code buf[0..want)} is filled; a failure or early end fills the rest with zeros. */
    private void readSource(int want) {
        readSource(want, true);
    }

    private void readSource(int want, boolean summed) {
        int start = filled;
        if (readError == null && !shortRead) {
            ByteBuffer bb = ByteBuffer.wrap(buf, filled, want - filled);
            try {
                while (bb.hasRemaining()) {
                    if (source.read(bb) < 0) {
                        shortRead = true;
                        break;
                    }
                }
            } catch (IOException e) {
                readError = e;
            }
            filled = bb.position();
        }
        if (filled < want) {
            Arrays.fill(buf, filled, want, (byte) 0);
            filled = want;
        }
        if (summed) {
            fileDigest.update(buf, start, filled - start);
        }
    }
}
