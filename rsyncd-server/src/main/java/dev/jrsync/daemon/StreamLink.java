package dev.jrsync.daemon;

import dev.jrsync.net.StreamPair;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A session over a pair of streams that is not one of the daemon's sockets: inetd mode, a program's pipes, a
 * library user's transport ({@code rsync/clientserver.c:start_daemon} on stdin and stdout). The peer's address
 * is known only for a TCP socket on stdin (rsync logs 0.0.0.0 otherwise), there is no socket to pace, but the
 * handshake deadline and the module's idle timeout still hold: both close the streams, which ends the
 * session's blocked read.
 */
final class StreamLink implements SessionLink {
    /** One timer thread for every stream session of the process: its tasks only close streams. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("rsyncd-stream-timer").unstarted(r));

    private final StreamPair streams;
    /** The client's address when the streams are a TCP socket (inetd mode), else null. */
    private final InetAddress peer;
    private final InputStream input;
    private final OutputStream output;
    private final AtomicReference<ScheduledFuture<?>> deadline = new AtomicReference<>();
    private volatile long lastActivity = System.nanoTime();
    private volatile IOException readFailure;

    StreamLink(StreamPair streams, InetAddress peer) {
        this.streams = streams;
        this.peer = peer;
        this.input = new FilterInputStream(streams.input()) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                IOException failed = readFailure;
                if (failed != null) {
                    throw failed;
                }
                int n = in.read(b, off, len);
                lastActivity = System.nanoTime();
                if (readFailure != null) {
                    throw readFailure;
                }
                return n;
            }
        };
        this.output = new FilterOutputStream(streams.output()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                lastActivity = System.nanoTime();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                lastActivity = System.nanoTime();
            }
        };
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InetAddress peer() {
        return peer;
    }

    @Override
    public void armDeadline(Duration limit) {
        ScheduledFuture<?> previous = deadline.getAndSet(
                TIMERS.schedule(streams::close, limit.toMillis(), TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void handshakeComplete() {
        ScheduledFuture<?> f = deadline.getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void idleTimeout(int seconds) {
        long limit = TimeUnit.SECONDS.toNanos(seconds);
        ScheduledFuture<?>[] check = new ScheduledFuture<?>[1];
        check[0] = TIMERS.scheduleWithFixedDelay(() -> {
            if (!streams.isOpen()) {
                check[0].cancel(false);
            } else if (System.nanoTime() - lastActivity > limit) {
                streams.close();
                check[0].cancel(false);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Not applied: rsync paces its socket writes, and a stream's owner paces what carries it. */
    @Override
    public void paceWrites(long bytesPerSecond) {
    }

    @Override
    public void failReads(IOException cause) {
        readFailure = cause;
        try {
            streams.input().close(); // a read blocked in the stream ends, and throws the cause above
        } catch (IOException ignored) {
            // closing the reading end of a stream that is already gone
        }
    }

    @Override
    public void awaitWritten() throws IOException {
        output.flush();
    }

    @Override
    public void reset() {
        streams.close();
    }

    @Override
    public void closeAfter(long millis) {
        TIMERS.schedule(streams::close, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        handshakeComplete();
        streams.close();
    }
}
