package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/jrsync} as a user runs it: finds a JDK 25 even when PATH's java is older, runs the built jar. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();

    private static String[] run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        // As on these machines: Maven may run on JDK 17, and JAVA_HOME may point at it.
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/jrsync did not finish in 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    @Test
    void versionRunsThroughTheLauncher() throws Exception {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is not executable");
        String[] r = run("--version");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("protocol version 32"), r[1]);
    }

    @Test
    void unknownOptionExitsWithRsyncsSyntaxCode() throws Exception {
        String[] r = run("--bogus");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--bogus: unknown option"), r[2]);
    }
}
