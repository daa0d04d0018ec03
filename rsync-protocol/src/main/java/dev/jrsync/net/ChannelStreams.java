package dev.jrsync.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bridges a Netty channel to the blocking streams the protocol roles are written against.
 *
 * <p>Netty owns the socket: the connection, the idle timeout and the write pacing are handlers in its pipeline.
 * The roles run on their own threads and block here. The two sides meet in lock-free hand-overs: the event loop
 * appends each buffer it read to a queue and unparks the reader only if it is parked; a writer that finds the
 * channel unwritable parks until {@link #channelWritabilityChanged} unparks it. A thread waits only when there
 * is nothing to read or no room to write, as it would on a blocking socket. Inbound buffers queue up to a bound,
 * then auto-read is switched off until the reader catches up (backpressure towards the peer).
 */
public final class ChannelStreams extends ChannelInboundHandlerAdapter implements StreamPair {
    /** Inbound bytes queued before auto-read is paused; it resumes below half of this. */
    private static final int HIGH_WATER = 4 << 20;

    private final Queue<ByteBuf> inbound = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private volatile boolean eof;
    private volatile IOException failure;
    private volatile Channel channel;
    /** The thread parked in a read, or null: the event loop unparks it when something arrives. */
    private volatile Thread reader;
    /** The thread parked until the channel is writable (or a write completes), or null. */
    private volatile Thread writer;

    private final Input input = new Input();
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
        input.close();
    }

    public Channel channel() {
        return channel;
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
        int n = buf.readableBytes();
        inbound.add(buf);
        if (queuedBytes.addAndGet(n) > HIGH_WATER) {
            ctx.channel().config().setAutoRead(false);
            // The reader may have drained the queue between the count and the switch, and found reading still on:
            // nobody would switch it back, and both ends would wait for good. Each side writes, then reads the
            // other's flag, so one of them sees the drain.
            if (queuedBytes.get() < HIGH_WATER / 2) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        if (input.closed) {
            input.drop(); // closed by another thread while this buffer was on its way
        }
        wake(reader);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        eof = true;
        wake(reader);
        wake(writer);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        wake(writer);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            fail(new TimeoutIOException("timeout in data send/receive (no data for the configured --timeout)"));
            ctx.close();
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // the peer is done sending (a half-closed channel): reads end, what we still write reaches it
            eof = true;
            wake(reader);
        } else {
            ctx.fireUserEventTriggered(evt);
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
        if (failure == null) {
            failure = e;
        }
        wake(reader);
        wake(writer);
    }

    private static void wake(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Parks the calling thread once; an interrupt (a cancelled transfer) ends the wait as a failed call. */
    private static void park(Object blocker, String what) throws InterruptedIOException {
        LockSupport.park(blocker);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
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

    /**
     * Reads straight from the buffers the event loop read into, one copy into the caller's array. The lock is
     * the reader's own (the event loop never takes it): it keeps a close from another thread from releasing
     * the buffer a read is copying from.
     */
    private final class Input extends InputStream {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile boolean closed;

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
            while (true) {
                lock.lock();
                try {
                    if (closed) {
                        throw new IOException("connection closed");
                    }
                    ByteBuf head = inbound.peek();
                    if (head != null) {
                        return take(head, b, off, len);
                    }
                } finally {
                    lock.unlock();
                }
                if (!awaitData()) {
                    return -1;
                }
            }
        }

        private int take(ByteBuf head, byte[] b, int off, int len) {
            int n = Math.min(len, head.readableBytes());
            head.readBytes(b, off, n);
            if (!head.isReadable()) {
                inbound.poll().release();
            }
            if (queuedBytes.addAndGet(-n) < HIGH_WATER / 2) {
                Channel ch = channel;
                if (ch != null && !ch.config().isAutoRead()) {
                    ch.config().setAutoRead(true);
                }
            }
            return n;
        }

        /** Parks until a buffer is queued; false at the end of the stream, a failure thrown. */
        private boolean awaitData() throws IOException {
            reader = Thread.currentThread();
            try {
                while (inbound.isEmpty()) {
                    if (failure != null) {
                        throw failure;
                    }
                    if (eof) {
                        return !inbound.isEmpty(); // the last buffers come before the end
                    }
                    park(this, "reading");
                }
                return true;
            } finally {
                reader = null;
            }
        }

        @Override
        public int available() {
            return Math.max(0, queuedBytes.get());
        }

        @Override
        public void close() {
            closed = true;
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            drop();
            output.discard(); // a session that ends on an error never flushes what it gathered
            wake(reader);
        }

        /** Releases what was queued and not read. */
        void drop() {
            lock.lock();
            try {
                for (ByteBuf b; (b = inbound.poll()) != null; ) {
                    queuedBytes.addAndGet(-b.readableBytes());
                    b.release();
                }
            } finally {
                lock.unlock();
            }
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
            ChannelFuture last = lastWrite;
            if (last == null) {
                return;
            }
            if (!last.isDone()) {
                Thread self = Thread.currentThread();
                last.addListener(f -> LockSupport.unpark(self));
                while (!last.isDone()) {
                    park(this, "flushing");
                }
            }
            lastWrite = null;
            if (last.cause() != null) {
                String why = last.cause().getMessage();
                throw failureOr("connection closed while writing" + (why == null ? "" : ": " + why));
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

        /** Parks until {@link #channelWritabilityChanged} (or the end of the channel) wakes this thread. */
        private void awaitWritable(Channel ch) throws IOException {
            if (ch.isWritable()) {
                return;
            }
            writer = Thread.currentThread();
            try {
                while (!ch.isWritable() && ch.isActive() && failure == null) {
                    park(this, "writing");
                }
            } finally {
                writer = null;
            }
            if (failure != null) {
                throw failure;
            }
        }

        private IOException failureOr(String message) {
            IOException f = failure;
            return f != null ? f : new IOException(message);
        }

        @Override
        public void close() throws IOException {
            flush();
            awaitWritten();
        }
    }
}
