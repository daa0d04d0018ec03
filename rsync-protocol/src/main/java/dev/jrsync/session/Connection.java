package dev.jrsync.session;

import dev.jrsync.batch.Recording;
import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.wire.DemuxInputStream;
import dev.jrsync.wire.MessageHandler;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.wire.MuxOutputStream;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Both directions of one rsync connection: the raw handshake lines, then multiplexed protocol data
 * with the out-of-band messages handled as rsync's {@code io.c:read_a_msg} does.
 */
public final class Connection implements MessageHandler {
    /** rsync's {@code BIGPATHBUFLEN}: the longest handshake line accepted. */
    public static final int MAX_LINE = 5120;
    /** How much unread input {@link #afterWriteFailure} looks through for the peer's last messages. */
    private static final int MAX_PENDING_AFTER_FAILURE = 4 << 20;

    /** I/O error bits ({@code rsync/rsync.h: IOERR_*}). */
    public static final int IOERR_GENERAL = 1;
    public static final int IOERR_VANISHED = 2;
    public static final int IOERR_DEL_LIMIT = 4;

    private final InputStream rawIn;
    private final MuxOutputStream muxOut;
    private final DemuxInputStream demuxIn;
    private final ProtocolInput in;
    private final ProtocolOutput out;
    /** rsync's batch monitors: what a batch file records of each direction's data. */
    private final Recording recordIn = new Recording();
    private final Recording recordOut = new Recording();
    private final SessionLog log;
    private volatile IntConsumer noSendListener = ndx -> { };
    private volatile int peerIoError;
    private volatile boolean gotXferError;
    private volatile IntConsumer successListener = ndx -> { };
    private volatile int peerTimeout;
    private volatile Thread poster;
    private volatile boolean amSender;
    private final java.util.concurrent.atomic.AtomicLong socketRead = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong socketWritten = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Small on purpose: frame headers and file-list fields come through it, while a read at least this
     * long with the buffer empty (a token's literal data, up to 32 KiB) goes straight to the caller's
     * array. At 64 KiB every byte of file data was copied twice.
     */
    private static final int READ_BUFFER = 8 << 10;

    public Connection(InputStream rawIn, OutputStream rawOut, SessionLog log) {
        this.rawIn = new BufferedInputStream(new CountingInput(rawIn), READ_BUFFER);
        this.muxOut = new MuxOutputStream(new CountingOutput(rawOut));
        this.demuxIn = new DemuxInputStream(this.rawIn, this);
        this.in = new ProtocolInput(recordIn.reading(demuxIn), 0);
        this.out = new ProtocolOutput(recordOut.writing(muxOut), 0);
        this.log = log;
    }

    /**
     * After a write failed because the peer hung up: reads what it sent before that, so that its error
     * message and exit code are not lost (rsync's io.c reads while it writes, and so sees them). Throws the
     * peer's {@link RemoteExit} if one arrives, else returns {@code failure}. Bounded by what the connection
     * had already received: the connection is closed, so every read ends at its end.
     */
    public RuntimeException afterWriteFailure(RuntimeException failure) {
        try {
            for (int i = 0; i < MAX_PENDING_AFTER_FAILURE; i++) {
                in.readUnsignedByte();
            }
        } catch (RemoteExit exit) {
            exit.addSuppressed(failure);
            throw exit;
        } catch (RuntimeException end) {
            // the end of what arrived
        }
        return failure;
    }

    /**
     * Copies the data read from here on to {@code batch} (a receiving client writing a batch,
     * {@code rsync/io.c:start_write_batch}); null stops it.
     */
    public void recordReceived(OutputStream batch) {
        recordIn.to(batch);
    }

    /**
     * Copies the data written from here on to {@code batch} (a sending client writing a batch); null stops it.
     */
    public void recordSent(OutputStream batch) {
        recordOut.to(batch);
    }

    public ProtocolInput in() {
        return in;
    }

    public ProtocolOutput out() {
        return out;
    }

    public SessionLog log() {
        return log;
    }

    public void setProtocol(int protocol) {
        in.setProtocol(protocol);
        out.setProtocol(protocol);
    }

    /** Marks this side as the sender: it answers an error exit with an empty one. */
    public void setSender(boolean sender) {
        this.amSender = sender;
    }

    /** Bytes read from the socket, frame headers included (rsync's "Total bytes received"). */
    public long socketBytesRead() {
        return socketRead.get();
    }

    /** Bytes written to the socket, frame headers included (rsync's "Total bytes sent"). */
    public long socketBytesWritten() {
        return socketWritten.get();
    }

    public void startMultiplexIn() {
        demuxIn.startMultiplex();
    }

    /**
     * A client's multiplexing once the protocol is set up ({@code rsync/main.c:client_run}): what the
     * server sends is multiplexed at once, what the client sends from protocol 30 on.
     */
    public void startClientMultiplex(int protocol) {
        startMultiplexIn();
        if (protocol >= 30) {
            startMultiplexOut();
        }
    }

    public void startMultiplexOut() {
        try {
            muxOut.startMultiplex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** I/O error bits the peer reported (file-list terminator or MSG_IO_ERROR). */
    public int peerIoError() {
        return peerIoError;
    }

    /** Called with each index the receiver reports as safely written (MSG_SUCCESS). */
    public void setSuccessListener(IntConsumer listener) {
        this.successListener = listener;
    }

    /** Whether the peer reported a failed transfer (MSG_ERROR_XFER: rsync's {@code got_xfer_error}). */
    public boolean gotXferError() {
        return gotXferError;
    }

    public void addPeerIoError(int bits) {
        peerIoError |= bits;
    }

    /** A timeout the daemon announced (MSG_IO_TIMEOUT), 0 when none. */
    public int peerTimeout() {
        return peerTimeout;
    }

    /**
     * Called with each index the sender could not open (MSG_NO_SEND): nothing arrives for it, and under
     * incremental recursion the generator stops waiting for it ({@code rsync/io.c:got_flist_entry_status}).
     */
    public void setNoSendListener(IntConsumer listener) {
        this.noSendListener = listener;
    }

    // ---- handshake lines (raw, before the argument list) ----

    public void writeLine(String line) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one line ({@code rsync/io.c:read_line_old}): CRs dropped, NUL refused, length bounded. */
    public String readLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        try {
            while (true) {
                int c = rawIn.read();
                if (c < 0) {
                    if (b.size() == 0) {
                        throw new ProtocolException("connection unexpectedly closed during the daemon handshake");
                    }
                    break;
                }
                if (c == '\n') {
                    break;
                }
                if (c == '\r') {
                    continue;
                }
                if (c == 0) {
                    throw new ProtocolException("NUL byte in a handshake line");
                }
                if (b.size() >= MAX_LINE) {
                    throw new ProtocolException("over-long handshake line from the peer");
                }
                b.write(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    // ---- out-of-band messages ----

    /** Sends a text message (MSG_INFO, MSG_ERROR, ...); protocol < 30 peers only know the old codes. */
    public void sendText(MsgCode code, String text) {
        sendText(code, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One line of a server's messages ({@code rsync/log.c:rwrite}): names as their bytes ({@link Escaped#raw}),
     * which the peer escapes when it prints them, and the line's end.
     */
    public void sendLine(MsgCode code, String line) {
        byte[] raw = Escaped.raw(line);
        byte[] text = java.util.Arrays.copyOf(raw, raw.length + 1);
        text[raw.length] = '\n';
        sendText(code, text);
    }

    /** As {@link #sendText(MsgCode, String)}, for text as the bytes the peer is to print. */
    public void sendText(MsgCode code, byte[] text) {
        MsgCode c = code;
        if (in.protocol() < 30) {
            c = code == MsgCode.ERROR ? MsgCode.ERROR_XFER : code == MsgCode.WARNING ? MsgCode.INFO : code;
        }
        byte[] payload = text;
        if (payload.length >= DemuxInputStream.MAX_MESSAGE) {
            payload = java.util.Arrays.copyOf(payload, DemuxInputStream.MAX_MESSAGE - 1);
        }
        send(c, payload);
    }

    public void sendInt(MsgCode code, int value) {
        send(code, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** Sends a message; from the thread named by {@link #postFrom}, queues it without waiting for the socket. */
    public void send(MsgCode code, byte[] payload) {
        if (Thread.currentThread() == poster) {
            muxOut.post(code, payload);
            return;
        }
        try {
            muxOut.sendMessage(code, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Names the thread that must never wait to write (the receiver, which has to keep reading): its messages
     * are queued and written by the generator or a helper thread. Otherwise a receiver reporting MSG_SUCCESS
     * while the generator is blocked on a full socket stops reading, the peer's sender stops reading in turn
     * once its output to us is full, and the session stalls for good.
     */
    public void postFrom(Thread thread) {
        this.poster = thread;
    }

    @Override
    public void onMessage(MsgCode code, byte[] payload) {
        switch (code) {
            case INFO, CLIENT, LOG -> log.info(stripNewline(payload));
            case ERROR_XFER -> {
                gotXferError = true;
                log.error(stripNewline(payload));
            }
            case ERROR, WARNING, ERROR_UTF8, ERROR_SOCKET -> log.error(stripNewline(payload));
            case IO_ERROR -> peerIoError |= intPayload(code, payload);
            case IO_TIMEOUT -> {
                int t = intPayload(code, payload);
                // A hostile value must neither disable nor overflow our timeout (CVE-2026-70462).
                if (t > 0 && t <= 86400) {
                    peerTimeout = t;
                }
            }
            case NOOP -> { }
            case DELETED -> {
                String name = deletedName(payload);
                log.deleted(name);
            }
            case NO_SEND -> noSendListener.accept(intPayload(code, payload));
            case SUCCESS -> successListener.accept(intPayload(code, payload));
            case ERROR_EXIT -> {
                int exit = payload.length == 0 ? 0 : intPayload(code, payload);
                if (amSender && payload.length == 4 && in.protocol() >= 31) {
                    try {
                        send(MsgCode.ERROR_EXIT, new byte[0]);
                    } catch (UncheckedIOException gone) {
                        // the peer hung up after its exit code: the code still stands
                    }
                }
                throw new RemoteExit(exit == 0 ? ExitCode.PARTIAL : exit);
            }
            default -> throw new ProtocolException("unexpected message " + code + " from the peer");
        }
    }

    private static String deletedName(byte[] payload) {
        int len = payload.length;
        boolean dir = len > 0 && payload[len - 1] == 0;
        String name = Escaped.of(Arrays.copyOf(payload, dir ? len - 1 : len));
        return dir ? name + "/" : name;
    }

    private static int intPayload(MsgCode code, byte[] payload) {
        if (payload.length != 4) {
            throw new ProtocolException("invalid multi-message " + code + ":" + payload.length);
        }
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * A message's text without its newline, escaped. A peer sends names in it as raw bytes and leaves escaping
     * to the side that prints (rsync/log.c:rwrite): one that is not UTF-8 is shown as rsync shows it, and a
     * control character in a name cannot start a line of its own on this side's terminal.
     */
    private static String stripNewline(byte[] payload) {
        int len = payload.length > 0 && payload[payload.length - 1] == '\n' ? payload.length - 1 : payload.length;
        return Escaped.of(Arrays.copyOf(payload, len));
    }

    public void flush() {
        out.flush();
    }

    /** The peer announced it is exiting with an error code (MSG_ERROR_EXIT). */
    public static final class RemoteExit extends RsyncException {
        public RemoteExit(int code) {
            super(code, "the peer exited with code " + code);
        }
    }

    private final class CountingInput extends java.io.FilterInputStream {
        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                socketRead.incrementAndGet();
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                socketRead.addAndGet(n);
            }
            return n;
        }
    }

    private final class CountingOutput extends java.io.FilterOutputStream {
        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            socketWritten.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            socketWritten.addAndGet(len);
        }
    }
}
