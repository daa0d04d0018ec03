package dev.jrsync.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Bridges a Netty channel to the blocking streams the protocol roles are written against.
 *
 * <p>Netty owns the socket; the roles run on virtual threads and block here. Inbound buffers queue
 * up to a bound, then auto-read is switched off until the reader catches up (backpressure towards
 * the peer). Outbound writes wait while the channel is not writable, so a fast sender cannot pile
 * up an unbounded outbound buffer.
 */
public final class ChannelStreams extends ChannelInboundHandlerAdapter implements StreamPair {
    /** Inbound bytes queued before auto-read is paused. */
    private static final int HIGH_WATER = 4 << 20;

    private final Object lock = new Object();
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private int queuedBytes;
    private boolean eof;
    private IOException failure;
    private volatile Channel channel;

    private final InputStream input = new Input();
    private final Output output = new Output();
    /** Whether {@link OutputStream#flush()} waits until the socket took the bytes (see the constructors). */
    private final boolean flushWaits;

    /**
     * Streams whose flush returns once the socket took every byte: a client's JVM may exit right after its
     * last flush, and the event loop's threads would not finish the write for it.
     */
    public ChannelStreams() {
        this(true);
    }

    /**
     * {@code flushWaits} false: a flush hands the gathered bytes to the event loop and returns, and
     * {@link #awaitWritten()} waits for them. A daemon's session flushes once per file it sends; waiting each time
     * made every session hand its thread over to the event loop and back, and with 64 sessions on two cores
     * the two event-loop threads spent most of their time waking the waiting sessions.
     */
    public ChannelStreams(boolean flushWaits) {
        this.flushWaits = flushWaits;
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
    public boolean isOpen() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException ignored) {
            // closing a channel does not fail
        }
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        synchronized (lock) {
            inbound.add(buf);
            queuedBytes += buf.readableBytes();
            if (queuedBytes > HIGH_WATER) {
                ctx.channel().config().setAutoRead(false);
            }
            lock.notifyAll();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        synchronized (lock) {
            eof = true;
            lock.notifyAll();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            fail(new TimeoutIOException("timeout in data send/receive (no data for the configured --timeout)"));
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
        ctx.close();
    }

    /**
     * Fails every read (and a write waiting for room) with {@code cause} while the channel stays open: a
     * role that gave up unblocks its partner this way, and the error can still be sent to the peer.
     */
    public void failReads(IOException cause) {
        fail(cause);
    }

    private void fail(IOException e) {
        synchronized (lock) {
            if (failure == null) {
                failure = e;
            }
            lock.notifyAll();
        }
    }

    /**
     * Waits until the socket took every byte flushed so far; what was written and not flushed stays. Before a
     * close: Netty drops what a closed channel had not yet written.
     */
    public void awaitWritten() throws IOException {
        output.awaitWritten();
    }

    /** Raised when the idle timeout fired; the session maps it to exit code 30. */
    public static final class TimeoutIOException extends java.net.SocketTimeoutException {
        public TimeoutIOException(String message) {
            super(message);
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (lock) {
                while (inbound.isEmpty()) {
                    if (failure != null) {
                        throw failure;
                    }
                    if (eof) {
                        return -1;
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading");
                    }
                }
                ByteBuf head = inbound.peek();
                int n = Math.min(len, head.readableBytes());
                head.readBytes(b, off, n);
                if (!head.isReadable()) {
                    inbound.poll().release();
                }
                queuedBytes -= n;
                Channel ch = channel;
                if (ch != null && queuedBytes < HIGH_WATER / 2 && !ch.config().isAutoRead()) {
                    ch.config().setAutoRead(true);
                }
                return n;
            }
        }

        @Override
        public int available() {
            synchronized (lock) {
                return queuedBytes;
            }
        }

        @Override
        public void close() {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            synchronized (lock) {
                inbound.forEach(ByteBuf::release);
                inbound.clear();
                queuedBytes = 0;
            }
            output.discard(); // a session that ends on an error never flushes what it gathered
        }
    }

    /**
     * Gathers writes into direct buffers of up to {@link #BATCH} bytes and hands each full one to the event
     * loop. Every hand-over from this thread is a task and a wake-up of the loop, so one per small
     * write (a 32 KiB frame, say) cost more than the copying; the direct buffer also spares the
     * socket write the copy of a heap buffer into native memory. A buffer starts at {@link #SMALL} bytes
     * and grows, unless the last one handed over was full: a flush after each small file would otherwise
     * hand over (and, not waiting, keep in flight) a quarter MiB for a few KiB.
     */
    private final class Output extends OutputStream {
        private static final int BATCH = 256 << 10;
        private static final int SMALL = 16 << 10;

        private ByteBuf pending;
        /** Whether the last buffer handed over was full: bulk data, so the next one starts at full size. */
        private boolean streaming;
        /** The last buffer handed over; the channel completes writes in order. */
        private ChannelFuture lastWrite;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            Channel ch = channel;
            if (ch == null || !ch.isActive() || lastWrite != null && lastWrite.cause() != null) {
                discard();
                throw failureOr("connection closed while writing");
            }
            while (len > 0) {
                if (pending == null) {
                    awaitWritable(ch);
                    pending = ch.alloc().directBuffer(streaming ? BATCH : SMALL, BATCH);
                }
                int n = Math.min(len, pending.maxWritableBytes());
                pending.writeBytes(b, off, n);
                off += n;
                len -= n;
                if (pending.writerIndex() == BATCH) {
                    streaming = true;
                    handOver(ch);
                }
            }
        }

        /**
         * Sends the gathered bytes and, if {@link #flushWaits}, waits until the socket took everything handed
         * over; otherwise reports an earlier write's failure, if one is known.
         */
        @Override
        public synchronized void flush() throws IOException {
            Channel ch = channel;
            if (ch == null) {
                return;
            }
            if (pending != null) {
                streaming = false;
                handOver(ch);
            }
            if (flushWaits) {
                awaitWritten();
            } else if (lastWrite != null && lastWrite.isDone()) {
                if (lastWrite.cause() != null) {
                    throw failureOr("connection closed while writing: " + lastWrite.cause().getMessage());
                }
                lastWrite = null;
            }
        }

        /**
         * Waits until the socket took everything handed over. It waits for that last write itself: a peer
         * that closes as soon as it has our last bytes (the final goodbye) must not turn an already
         * completed write into an error.
         */
        synchronized void awaitWritten() throws IOException {
            if (lastWrite == null) {
                return;
            }
            try {
                lastWrite.sync();
                lastWrite = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while flushing");
            } catch (Exception e) {
                throw failureOr("connection closed while writing"
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }

        /** Drops what was gathered and not handed over (the connection is closed). */
        synchronized void discard() {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }

        private void handOver(Channel ch) {
            lastWrite = ch.writeAndFlush(pending);
            pending = null;
        }

        private void awaitWritable(Channel ch) throws IOException {
            if (ch.isWritable()) {
                return;
            }
            synchronized (lock) {
                while (!ch.isWritable() && ch.isActive() && failure == null) {
                    try {
                        lock.wait(TimeUnit.MILLISECONDS.toMillis(100));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while writing");
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        }

        private IOException failureOr(String message) {
            synchronized (lock) {
                return failure != null ? failure : new IOException(message);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
            awaitWritten();
        }
    }
}
