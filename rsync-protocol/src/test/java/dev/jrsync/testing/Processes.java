package dev.jrsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs an external command to completion under a deadline, so a hung peer fails a test instead of stalling it. */
final class Processes {

    private Processes() {
    }

    /**
     * Starts {@code pb} with stdin closed and stdout/stderr sent to temporary files (files, not pipes: a chatty
     * process can never block on a full pipe while we wait for it), waits at most {@code timeout}, and returns
     * what it printed. On timeout the process is killed and an AssertionError carries its partial output.
     */
    static ProcessResult run(ProcessBuilder pb, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jrsync-proc", ".out");
            err = Files.createTempFile("jrsync-proc", ".err");
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process p = pb.start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            ProcessResult result = new ProcessResult(pb.command(), finished ? p.exitValue() : -1,
                    decode(out), decode(err));
            if (!finished) {
                throw new AssertionError("command did not finish within " + timeout + " and was killed\n"
                        + result.transcript());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + pb.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + pb.command(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Lenient decoding: rsync may print file names that are not valid UTF-8. */
    private static String decode(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the process result matters more
            }
        }
    }
}
