package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.TreeAssert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code jrsync --watch ...} running in this JVM on its own thread, stopped as Ctrl-C would (an interrupt). */
final class RunningMirror implements AutoCloseable {
    private static final Pattern SYNCED = Pattern.compile("mirror: (\\d+) queued, 0 in flight, \\d+ synced, (\\d+) bytes sent");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int exitCode = -1;

    private RunningMirror(String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        thread = Thread.ofPlatform().name("test-mirror").start(() -> exitCode = Main.run(args, o, e, Map.of()));
    }

    static RunningMirror start(String... args) {
        return new RunningMirror(args);
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Bytes sent so far, from the last status line ({@code -v}). */
    long bytesSent() {
        Matcher m = SYNCED.matcher(stdout());
        long sent = 0;
        while (m.find()) {
            sent = Long.parseLong(m.group(2));
        }
        return sent;
    }

    /** Waits until the mirror is watching with nothing queued and printed nothing new for {@code quiet}. */
    void awaitIdle(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String now = stdout();
            if (!now.equals(last)) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > quiet.toNanos() && idle(now)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("mirror not idle within " + timeout + "\n" + transcript());
    }

    /** Watching, and the last batch (if any yet) left nothing queued. */
    private static boolean idle(String out) {
        Matcher m = SYNCED.matcher(out);
        String queued = "0";
        while (m.find()) {
            queued = m.group(1);
        }
        return out.contains("jrsync: watching") && "0".equals(queued);
    }

    /** Waits until {@code dst} is a copy of {@code src} (times to the nanosecond), the mirror alive meanwhile. */
    void awaitIdentical(Path src, Path dst, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> diff = differences(src, dst);
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            assertAlive();
            Thread.sleep(20);
            diff = differences(src, dst);
        }
        List<String> last = diff;
        assertTrue(last.isEmpty(), () -> "not converged: " + last + "\n" + transcript());
    }

    private static List<String> differences(Path src, Path dst) {
        return TreeAssert.differencesWhileChanging(src, dst, TreeAssert.Option.NANOSECONDS);
    }

    void assertAlive() {
        if (!thread.isAlive()) {
            throw new AssertionError("mirror stopped with " + exitCode + "\n" + transcript());
        }
    }

    String transcript() {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }

    /** Stops the mirror and checks it exited cleanly. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(15));
        assertEquals(0, exitCode, this::transcript);
    }
}
