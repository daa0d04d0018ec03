package dev.jrsync.api;

import dev.jrsync.net.BytePipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A byte channel that carries one daemon session instead of a TCP connection: an SSH channel, a program's
 * pipes, an existing socket, or an in-memory {@link #pipe()}. The client side goes to
 * {@link Rsync#transfer(TransferSpec, TransferListener, Transport)}; the daemon side to
 * {@code dev.jrsync.api.daemon.Daemon#serve}. A session's reads block until data comes or the stream ends:
 * time limits are the transport's (or the daemon module's {@code timeout}, which closes it).
 */
public interface Transport {
    /** What the peer sends. */
    InputStream in();

    /** What this side sends; flushed whenever the session waits for an answer. */
    OutputStream out();

    /** Ends the session's use of the channel, both ways; called once the session is over. */
    void close() throws IOException;

    /**
     * The address the peer connects from, which a daemon's {@code hosts allow} and {@code hosts deny} judge;
     * empty when there is none (a pipe, a program's stdin).
     */
    default Optional<InetAddress> peer() {
        return Optional.empty();
    }

    /** A transport over streams something else connected, closed by closing both. */
    static Transport of(InputStream in, OutputStream out) {
        return new Transport() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void close() throws IOException {
                try (in; out) {
                    // both closed, the output first so that the peer sees the end
                }
            }
        };
    }

    /** Two transports joined in memory, each one's output the other's input: a session with no socket at all. */
    static Pair pipe() {
        BytePipe there = new BytePipe(256 << 10);
        BytePipe back = new BytePipe(256 << 10);
        Transport client = of(back.input(), there.output());
        Transport daemon = of(there.input(), back.output());
        return new Pair(client, daemon);
    }

    /**
     * The two ends of a {@link #pipe()}.
     *
     * @param client the end a transfer runs over
     * @param daemon the end a daemon serves
     */
    record Pair(Transport client, Transport daemon) {}
}
