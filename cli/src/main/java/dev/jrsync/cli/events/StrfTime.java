package dev.jrsync.cli.events;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The C library's strftime over local time, so --timefmt accepts exactly what inotifywait's does. */
final class StrfTime {
    private StrfTime() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle LOCALTIME_R = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("localtime_r"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle STRFTIME = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strftime"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle TZSET = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("tzset"),
            FunctionDescriptor.ofVoid());
    /** struct tm is 56 bytes on LP64 glibc; room to spare. */
    private static final long TM_BYTES = 128;
    private static final long OUT_BYTES = 4096;

    static {
        try {
            TZSET.invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /** {@code format} applied to {@code epochSeconds} in the local zone; "" when the result is empty or too long. */
    static String format(String format, long epochSeconds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment time = arena.allocateFrom(ValueLayout.JAVA_LONG, epochSeconds);
            MemorySegment tm = arena.allocate(TM_BYTES, 8);
            MemorySegment r = (MemorySegment) LOCALTIME_R.invokeExact(time, tm);
            MemorySegment out = arena.allocate(OUT_BYTES);
            long n = (long) STRFTIME.invokeExact(out, OUT_BYTES - 1, arena.allocateFrom(format), tm);
            return r.equals(MemorySegment.NULL) || n == 0 ? "" : out.getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("strftime downcall failed", t);
        }
    }
}
