package dev.jrsync.cli;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs the jrsync command line in this JVM, as a user would type it, and keeps what it printed. */
record Jrsync(int exitCode, String stdout, String stderr) {

    static Jrsync run(String... args) {
        return run(Map.of(), args);
    }

    static Jrsync run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, env);
        }
        return new Jrsync(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The itemized lines of a run's output, sorted, without the root directory's. */
    static List<String> items(String stdout) {
        return stdout.lines().filter(l -> !l.endsWith(" ./")).sorted().toList();
    }

    /**
     * For side-by-side tests: the same command line run by jrsync ({@code who} "ours") or by stock {@code rsync}
     * ("theirs"), which must succeed.
     */
    static void runSucceeding(String who, StockRsync rsync, String... args) {
        if (who.equals("ours")) {
            run(args).assertSuccess();
        } else {
            StockClient.of(rsync).run(args).assertSuccess();
        }
    }

    Jrsync assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("jrsync exited with " + exitCode + "\n" + transcript());
        }
        return this;
    }

    /** The value of one "--stats" line, e.g. {@code statsValue("Literal data")}. */
    long statsValue(String label) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith(label + ": ")) {
                String v = line.substring(label.length() + 2).split(" ")[0].replace(",", "");
                return Long.parseLong(v);
            }
        }
        throw new AssertionError("no '" + label + "' line in\n" + transcript());
    }

    List<String> stdoutLines() {
        return stdout.lines().toList();
    }

    String transcript() {
        return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
