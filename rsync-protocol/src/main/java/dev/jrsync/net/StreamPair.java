package dev.jrsync.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two byte streams one rsync session runs over, whatever carries them: a TCP connection ({@link
 * ChannelStreams}), or a library user's transport (a pipe, an SSH channel, an in-memory pair).
 */
public interface StreamPair {
    InputStream input();

    OutputStream output();

    /** Whether the peer may still be there: a connection kept waiting may have been closed meanwhile. */
    boolean isOpen();

    /** Closes both directions; reads blocked on the input end. */
    void close();

    /**
     * Streams that some other code connected ({@code closer} ends them): open until {@link #close()}, since a
     * stream cannot tell whether its far end is still there.
     */
    static StreamPair of(InputStream in, OutputStream out, Closeable closer) {
        AtomicBoolean closed = new AtomicBoolean();
        return new StreamPair() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public boolean isOpen() {
                return !closed.get();
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    try {
                        closer.close();
                    } catch (IOException ignored) {
                        // the far end is gone already
                    }
                }
            }
        };
    }
}
