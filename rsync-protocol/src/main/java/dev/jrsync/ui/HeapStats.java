package dev.jrsync.ui;

import java.util.List;

/**
 * {@code --info=stats3}'s memory block for each role, as {@code rsync/main.c:show_malloc_stats} prints one per process
 * at its end. rsync reports glibc's malloc arena; a JVM's memory is its Java heap, so that is what these lines give:
 * what is in use, what is committed and free, and how far the heap may grow. The roles share one heap here, so the
 * blocks of one run differ only by when they were taken.
 */
public final class HeapStats {
    private HeapStats() {}

    /** The block for {@code role} (rsync's who_am_i, "server " first for a server's), a blank line first. */
    public static List<String> of(String role) {
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        long free = rt.freeMemory();
        return List.of("", "jrsync[" + ProcessHandle.current().pid() + "] (" + role + ") heap statistics:",
                line("used", committed - free, "bytes of Java heap in use"),
                line("free", free, "bytes committed and free"),
                line("committed", committed, "bytes of heap from the system"),
                line("max", rt.maxMemory(), "bytes the heap may grow to"));
    }

    private static String line(String title, long value, String what) {
        return String.format("  %-11s%10d   (%s)", title + ":", value, what);
    }
}
