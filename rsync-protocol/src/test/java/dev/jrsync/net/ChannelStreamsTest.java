package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's Netty connection against a plain blocking socket on loopback: what the roles see through the
 * blocking streams (every byte in order, the end, a failure, a timeout) and that neither direction buffers
 * without bound when the other side is slow.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelStreamsTest {
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private ChannelStreams connect(int timeoutSeconds) throws Exception {
        return NettyTransport.connect("127.0.0.1", server.getLocalPort(), null, SocketOptions.NONE, null, 5,
                timeoutSeconds, 0, null);
    }

    private static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void readsEveryByteInOrderThenTheEnd_andQueuesNoMoreThanItsBoundWhileTheReaderWaits() throws Exception {
        byte[] sent = data(24 << 20, 1);
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream out = peer.getOutputStream()) {
                    out.write(sent);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // the peer writes faster than nobody reads: auto-read stops near 4 MiB queued
            long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            int most = 0;
            while (System.nanoTime() < settled) {
                most = Math.max(most, streams.input().available());
                Thread.sleep(20);
            }
            assertTrue(most >= 1 << 20, "queued " + most);
            assertTrue(most <= 6 << 20, "queued " + most + " bytes while nobody read");
            assertFalse(writing.isDone(), "the peer must be held back, not buffered in full");

            byte[] got = streams.input().readAllBytes();
            writing.join();
            assertArrayEquals(sent, got);
            assertEquals(-1, streams.input().read());
        } finally {
            streams.close();
        }
    }

    @Test
    void writesEveryByteInOrder_holdingTheWriterWhileThePeerDoesNotRead() throws Exception {
        byte[] sent = data(32 << 20, 2);
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = streams.output();
                    for (int off = 0; off < sent.length; off += 32 << 10) {
                        out.write(sent, off, 32 << 10);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(1000);
            assertFalse(writing.isDone(), "32 MiB cannot all be in flight while the peer reads nothing");
            byte[] got = peer.getInputStream().readNBytes(sent.length);
            writing.join();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(sent),
                    MessageDigest.getInstance("SHA-256").digest(got));
        } finally {
            streams.close();
        }
    }

    @Test
    void aPeerThatHangsUpEndsTheStreamForTheReaderAndFailsTheWriter() throws Exception {
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            peer.getOutputStream().write(new byte[] {1, 2, 3});
            peer.close();
            assertArrayEquals(new byte[] {1, 2, 3}, streams.input().readAllBytes());
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    streams.output().write(new byte[64 << 10]);
                    streams.output().flush();
                }
            });
            assertTrue(e.getMessage().contains("connection closed"), e.getMessage());
            assertFalse(streams.isOpen());
        } finally {
            streams.close();
        }
    }

    @Test
    void failReadsWakesABlockedReaderWithTheCause() throws Exception {
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            CompletableFuture<Throwable> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    streams.input().read();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(200);
            assertFalse(reading.isDone());
            IOException cause = new IOException("the session ended on an error");
            streams.failReads(cause);
            assertEquals(cause, reading.get(5, TimeUnit.SECONDS));
            assertTrue(streams.isOpen(), "the error can still be sent to the peer");
        } finally {
            streams.close();
        }
    }

    @Test
    void theIdleTimeoutFailsAReadWithTheTimeoutError() throws Exception {
        ChannelStreams streams = connect(1);
        try (Socket peer = server.accept()) {
            long start = System.nanoTime();
            IOException e = assertThrows(ChannelStreams.TimeoutIOException.class, () -> streams.input().read());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 900 && took < 10_000, "timed out after " + took + " ms");
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        } finally {
            streams.close();
        }
    }

    @Test
    void anInterruptEndsABlockedRead() throws Exception {
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            Thread caller = Thread.currentThread();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    // the test ends the wait
                }
                caller.interrupt();
            });
            assertThrows(InterruptedIOException.class, () -> streams.input().read());
            assertTrue(Thread.interrupted());
        } finally {
            streams.close();
        }
    }

    @Test
    void closingDropsWhatWasQueuedAndLaterReadsFail() throws Exception {
        ChannelStreams streams = connect(0);
        try (Socket peer = server.accept()) {
            peer.getOutputStream().write(new byte[1 << 20]);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (streams.input().available() < 1 << 20 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            streams.close();
            assertEquals(0, streams.input().available());
            assertThrows(IOException.class, () -> streams.input().read());
        }
    }

    @Test
    void theConnectionLeavesFromTheAddressGiven() throws Exception {
        try (ServerSocket any = new ServerSocket()) {
            any.bind(new InetSocketAddress("127.0.0.1", 0));
            ChannelStreams streams = NettyTransport.connect("127.0.0.1", any.getLocalPort(), null, SocketOptions.NONE,
                    "127.0.0.2", 5, 0, 0, null);
            try (Socket peer = any.accept()) {
                assertEquals(InetAddress.getByName("127.0.0.2"), peer.getInetAddress());
            } finally {
                streams.close();
            }
        }
    }
}
