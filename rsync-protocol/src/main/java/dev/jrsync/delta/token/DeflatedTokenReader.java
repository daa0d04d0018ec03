package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * zlib and zlibx receiver ({@code rsync/token.c:recv_deflated_token} and, for zlib,
 * {@code see_deflate_token}): raw inflate, reset per file; the sync tail the sender dropped is fed
 * back before each token that follows data; for zlib every copied block is fed to the inflater as
 * fabricated stored blocks so its window matches the sender's history.
 */
final class DeflatedTokenReader extends CompressedTokenReader {
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final Inflater inflater = new Inflater(true);
    private final boolean keepHistory;
    private final int protocol;
    private final byte[] output = new byte[TokenFlags.CHUNK_SIZE];
    private final byte[] storedHeader = new byte[5];
    private boolean dataSinceSync;

    DeflatedTokenReader(ProtocolInput in, boolean keepHistory, int protocol) {
        super(in);
        this.keepHistory = keepHistory;
        this.protocol = protocol;
    }

    @Override
    public byte[] literalBuffer() {
        return output;
    }

    @Override
    void startFile() {
        inflater.reset();
        dataSinceSync = false;
    }

    @Override
    void acceptFrame(byte[] frame, int len) {
        inflater.setInput(frame, 0, len);
        dataSinceSync = true;
    }

    @Override
    int decodeMore() {
        int n = inflate();
        if (n == 0 && !inflater.needsInput()) {
            throw new ProtocolException("inflate made no progress in compressed token stream");
        }
        return n;
    }

    /** The data before a token must end at a sync flush; completing it with the dropped tail checks that. */
    @Override
    void beforeToken() {
        if (!dataSinceSync) {
            return;
        }
        dataSinceSync = false;
        inflater.setInput(SYNC_TAIL);
        if (inflate() != 0 || !inflater.needsInput()) {
            throw new ProtocolException("decompressor lost sync in compressed token stream");
        }
    }

    /** rsync/token.c:see_deflate_token, mirroring the sender's history pieces (see DeflatedTokenWriter). */
    @Override
    public void matched(byte[] buf, int off, int len) {
        if (!keepHistory) {
            return;
        }
        int pos = off;
        int remaining = len;
        while (remaining > 0) {
            int piece = Math.min(remaining, DeflatedTokenWriter.MAX_STORED);
            storedHeader[1] = (byte) piece;
            storedHeader[2] = (byte) (piece >>> 8);
            storedHeader[3] = (byte) ~piece;
            storedHeader[4] = (byte) (~piece >>> 8);
            inflater.setInput(storedHeader);
            int seen = drain();
            inflater.setInput(buf, pos, piece);
            seen += drain();
            if (seen != piece) {
                throw new ProtocolException("decompressor lost sync while adding a matched block to its history");
            }
            remaining -= piece;
            if (protocol >= 31) {
                pos += piece;
            }
        }
    }

    private int drain() {
        int total = 0;
        int n;
        while ((n = inflate()) > 0) {
            total += n;
        }
        return total;
    }

    private int inflate() {
        try {
            int n = inflater.inflate(output);
            if (inflater.finished()) {
                throw new ProtocolException("deflate stream ended inside the compressed token stream");
            }
            return n;
        } catch (DataFormatException e) {
            throw new ProtocolException("inflate failed in compressed token stream: " + e.getMessage(), e);
        }
    }
}
