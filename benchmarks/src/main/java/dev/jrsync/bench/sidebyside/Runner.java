package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs one client command, timing it and sampling its peak memory from /proc while it runs. */
final class Runner {
    private static final Pattern SENT = Pattern.compile("Total bytes sent: ([\\d,]+)");
    private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([\\d,]+)");
    private static final long TIMEOUT_MINUTES = 10;

    private Runner() {}

    /** Runs {@code command}; peak memory is that of the command's process tree. */
    static Measured run(List<String> command, Path log) throws IOException, InterruptedException {
        return run(command, log, null);
    }

    /**
     * Runs {@code command}; peak memory is that of {@code memoryOf}'s process tree (a daemon serving the
     * command) when given, else of the command's own.
     */
    static Measured run(List<String> command, Path log, ProcessHandle memoryOf) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        // VmHWM is a high-water mark: sampling it until exit misses at most the last few milliseconds.
        while (!p.waitFor(5, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, peakOfTree(memoryOf != null ? memoryOf : p.toHandle()));
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT_MINUTES + " min: " + command);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + out);
        }
        return new Measured(millis, peak, wireBytes(out));
    }

    private static long peakOfTree(ProcessHandle root) {
        long sum = vmHwm(root.pid());
        for (ProcessHandle child : root.descendants().toList()) {
            sum += vmHwm(child.pid());
        }
        return sum;
    }

    private static long vmHwm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended between two samples
        }
        return 0;
    }

    static long wireBytes(String stats) {
        Matcher s = SENT.matcher(stats);
        Matcher r = RECEIVED.matcher(stats);
        if (!s.find() || !r.find()) {
            return -1;
        }
        return Long.parseLong(s.group(1).replace(",", "")) + Long.parseLong(r.group(1).replace(",", ""));
    }
}
