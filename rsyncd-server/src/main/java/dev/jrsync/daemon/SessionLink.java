package dev.jrsync.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;

/**
 * What a daemon session needs of the connection it runs on ({@code rsync/clientserver.c:start_daemon} takes two
 * file descriptors): a TCP connection accepted by {@link RsyncDaemon}, or any pair of streams (a pipe, a library
 * user's transport), which has no peer address and no socket options.
 */
interface SessionLink {
    InputStream input();

    OutputStream output();

    /** The client's address; null when the link is not a socket (rsync then names the client 0.0.0.0). */
    InetAddress peer();

    /** Drops the client unless it completes the next handshake step within {@code deadline}. */
    void armDeadline(Duration deadline);

    /** The argument list is in: no handshake deadline applies any more. */
    void handshakeComplete();

    /** Drops the client after {@code seconds} without traffic either way (the module's {@code timeout}). */
    void idleTimeout(int seconds);

    /** Paces what the session writes at {@code bytesPerSecond} (a client's {@code --bwlimit}). */
    void paceWrites(long bytesPerSecond);

    /** Fails every read with {@code cause} while the link stays open: a failed role unblocks its partner. */
    void failReads(IOException cause);

    /** Waits until everything flushed so far has been handed to the peer. */
    void awaitWritten() throws IOException;

    /** Closes so that the client sees a reset, not an orderly end, where the link can tell the two apart. */
    void reset();

    /** Closes after {@code millis}, letting the client read the last error and hang up first. */
    void closeAfter(long millis);

    void close();
}
