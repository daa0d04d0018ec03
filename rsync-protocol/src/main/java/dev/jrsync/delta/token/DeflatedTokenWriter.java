package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolOutput;
import java.util.zip.Deflater;

/**
 * zlib and zlibx sender ({@code rsync/token.c:send_deflated_token}): raw deflate, reset per file. Each
 * literal run ends with a sync flush whose trailing empty stored block {@code 00 00 FF FF} is not
 * sent (the receiver re-inserts it). For zlib, matched blocks also enter the deflate history
 * without producing output, which rsync does with its bundled zlib's {@code Z_INSERT_ONLY}; here
 * {@link Deflater#setDictionary} does the same, since for raw deflate at a flush boundary it
 * appends to the window (see {@link DeflateHistory}).
 */
final class DeflatedTokenWriter extends CompressedTokenWriter {
    /** zlib's stored-block pieces are limited to a 16-bit length. */
    static final int MAX_STORED = 0xFFFF;

    private static final int SYNC_TAIL = 4;

    private final Deflater deflater;
    private final boolean keepHistory;
    private final int protocol;
    /** Compressed bytes not yet sent; the last four may be the sync tail, so they are held back. */
    private final byte[] pending = new byte[2 * (TokenFlags.MAX_DATA_COUNT + SYNC_TAIL)];
    private int pendingLen;

    /**
     * @param keepHistory true for zlib (matched blocks become history), false for zlibx
     * @param protocol    below 31, history pieces of a block longer than 64 KiB repeat its start
     */
    DeflatedTokenWriter(ProtocolOutput out, int level, boolean keepHistory, int protocol) {
        super(out);
        this.deflater = new Deflater(level, true);
        this.keepHistory = keepHistory;
        this.protocol = protocol;
    }

    @Override
    void compress(byte[] buf, int off, int len) {
        deflater.setInput(buf, off, len);
        while (!deflater.needsInput()) {
            pendingLen += deflater.deflate(pending, pendingLen, pending.length - pendingLen, Deflater.NO_FLUSH);
            sendFullFrames();
        }
    }

    @Override
    void flushLiteral() {
        while (true) {
            int room = pending.length - pendingLen;
            int n = deflater.deflate(pending, pendingLen, room, Deflater.SYNC_FLUSH);
            pendingLen += n;
            if (n < room) {
                break;
            }
            sendFullFrames();
        }
        if (pendingLen < SYNC_TAIL || pending[pendingLen - 4] != 0 || pending[pendingLen - 3] != 0
                || pending[pendingLen - 2] != (byte) 0xFF || pending[pendingLen - 1] != (byte) 0xFF) {
            throw new IllegalStateException("deflate sync flush did not end with 00 00 FF FF");
        }
        pendingLen -= SYNC_TAIL;
        int off = 0;
        while (off < pendingLen) {
            int n = Math.min(pendingLen - off, TokenFlags.MAX_DATA_COUNT);
            writeFrame(pending, off, n);
            off += n;
        }
        pendingLen = 0;
    }

    /** Sends whole frames while more than a frame plus a possible sync tail is buffered. */
    private void sendFullFrames() {
        while (pendingLen > TokenFlags.MAX_DATA_COUNT + SYNC_TAIL) {
            writeFrame(pending, 0, TokenFlags.MAX_DATA_COUNT);
            pendingLen -= TokenFlags.MAX_DATA_COUNT;
            System.arraycopy(pending, TokenFlags.MAX_DATA_COUNT, pending, 0, pendingLen);
        }
    }

    /**
     * rsync/token.c:send_deflated_token's history insert: the block goes in as pieces of at most
     * 64 KiB, as the receiver's fabricated stored blocks (see_deflate_token) deliver them; protocol
     * 30 and older repeat the block's first bytes for every piece, and both sides must agree on that.
     */
    @Override
    void matchedBlock(byte[] buf, int off, int len) {
        if (!keepHistory) {
            return;
        }
        int pos = off;
        int remaining = len;
        while (remaining > 0) {
            int piece = Math.min(remaining, MAX_STORED);
            deflater.setDictionary(buf, pos, piece);
            remaining -= piece;
            if (protocol >= 31) {
                pos += piece;
            }
        }
    }

    @Override
    void fileDone() {
        deflater.reset();
    }
}
