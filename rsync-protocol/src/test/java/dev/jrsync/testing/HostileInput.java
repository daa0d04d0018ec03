package dev.jrsync.testing;

import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.session.Connection;
import dev.jrsync.wire.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/**
 * The contract every fuzz target checks: whatever bytes a peer sends, a decoder either accepts them or
 * refuses them cleanly, as rsync does ({@code rsync/io.c} ends the session with a protocol error, exit
 * code 12, or the peer's stream ends early: "connection unexpectedly closed"). Anything else is a
 * finding: another exception, or an allocation out of proportion to the input (a peer must not make us
 * reserve memory for data it never sent). Hangs are caught by the fuzzer's own per-input timeout.
 */
public final class HostileInput {
    /**
     * Heap one input may cost beyond {@link #BYTES_PER_INPUT_BYTE} per byte it holds: decoders keep
     * fixed buffers (a 32 KiB token chunk, a zstd window, a 5 KiB message) that do not grow with input.
     */
    public static final long FIXED_ALLOWANCE = 32L << 20;
    /** A decoded structure may well be larger than its wire form, but only by a small factor. */
    public static final long BYTES_PER_INPUT_BYTE = 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HostileInput() {}

    /** A decoder run over a peer's bytes; it opens its own streams over them, so it can run twice. */
    @FunctionalInterface
    public interface Decoder {
        void decode(byte[] data);
    }

    /**
     * Runs {@code decoder} over {@code data}; returns normally on success or a clean refusal, throws on a
     * finding. An allocation over the bound is measured once more, so that a class's one-time set-up
     * (a native library, a lookup table) met by the first input is not taken for the input's cost.
     */
    public static void decode(byte[] data, Decoder decoder) {
        long allocated = allocatedBy(data, decoder);
        long allowed = FIXED_ALLOWANCE + BYTES_PER_INPUT_BYTE * data.length;
        if (allocated > allowed && (allocated = allocatedBy(data, decoder)) > allowed) {
            throw new HugeAllocation(allocated, data.length);
        }
    }

    private static long allocatedBy(byte[] data, Decoder decoder) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            decoder.decode(data);
        } catch (ProtocolException | RsyncException e) {
            // a clean protocol error with rsync's exit code
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof EOFException)) {
                throw e;
            }
            // the input ended inside a value: "connection unexpectedly closed"
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * A connection that reads {@code data} from {@code offset} and discards what it writes and logs, as a
     * session with a peer that sent exactly these bytes.
     */
    public static Connection connection(byte[] data, int offset) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return new Connection(new ByteArrayInputStream(data, offset, data.length - offset),
                OutputStream.nullOutputStream(), SessionLog.of(discard, discard));
    }

    /** A decoder reserved memory for data the peer announced but did not send. */
    public static final class HugeAllocation extends AssertionError {
        HugeAllocation(long allocated, int inputLength) {
            super(allocated + " bytes allocated while decoding " + inputLength + " input bytes");
        }
    }
}
