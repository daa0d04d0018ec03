package dev.jrsync.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A listener on a loopback port that hands each connection, on a thread of its own, to a handler, which then closes
 * it: the skeleton of the proxies tests put between a client and a daemon. {@link #pipe} relays both ways.
 */
public final class LoopbackRelay implements AutoCloseable {
    /** Serves one accepted connection. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket client) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Handler handler;

    private LoopbackRelay(Handler handler) throws IOException {
        this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.handler = handler;
        Thread.ofVirtual().start(this::accept);
    }

    public static LoopbackRelay start(Handler handler) throws IOException {
        return new LoopbackRelay(handler);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Copies each socket's input to the other's output until both have ended. */
    public static void pipe(Socket a, Socket b) throws InterruptedException {
        Thread back = Thread.ofVirtual().start(() -> copy(b, a));
        copy(a, b);
        back.join();
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // the other direction closed first
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> {
                    try (client) {
                        handler.serve(client);
                    } catch (IOException | InterruptedException e) {
                        // the session's end, either way
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
