package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.options.OptionSpec;
import dev.jrsync.options.OptionTable;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a user sees from the command line itself: help, version, refused options, exit codes. */
class CommandLineTest {

    @Test
    void versionNamesTheProtocolsSpoken() {
        Jrsync r = Jrsync.run("--version").assertSuccess();
        assertTrue(r.stdout().startsWith("jrsync  version "), r::transcript);
        assertTrue(r.stdout().contains("protocol version 32"), r::transcript);
        assertTrue(r.stdout().contains("Protocols spoken: 27 28 29 30 31 32"), r::transcript);
        assertTrue(r.stdout().contains("xxh128 xxh3 xxh64 md5 md4"), r::transcript);
        assertTrue(r.stdout().contains("zstd lz4 zlibx zlib"), r::transcript);
    }

    /**
     * {@code -VV} is rsync's JSON capability list, which scripts and rsync's own test suite read (its
     * {@code xattrs_supported} looks for {@code "xattrs": true}): every capability stock rsync names is there, and
     * what jrsync lacks says false.
     */
    @Test
    void doubleVersionIsRsyncsJsonWithTruthfulCapabilities() {
        String ours = Jrsync.run("-VV").assertSuccess().stdout();
        assertTrue(ours.startsWith("{\n") && ours.endsWith("}\n"), ours);
        for (String lacking : List.of("iconv", "crtimes")) {
            assertTrue(ours.contains("\"" + lacking + "\": false"), () -> lacking + " in\n" + ours);
        }
        for (String kept : List.of("hardlinks", "hardlink_symlinks", "symtimes", "xattrs", "ACLs", "ACL_at", "batchfiles",
                "atimes")) {
            assertTrue(ours.contains("\"" + kept + "\": true"), () -> kept + " in\n" + ours);
        }
        assertTrue(ours.contains("\"protocol\": \"32.0\""), ours);
        assertTrue(ours.contains("\"compress_list\": [\n    \"zstd\", \"lz4\", \"zlibx\", \"zlib\", \"none\"\n  ]"), ours);
        String stock = StockClient.of(StockRsync.requireOnPath()).run("-VV").assertSuccess().stdout();
        String stockCaps = stock.substring(stock.indexOf("\"capabilities\""), stock.indexOf("\"optimizations\""));
        Matcher key = Pattern.compile("\"(\\w+)\": ").matcher(stockCaps);
        while (key.find()) {
            String name = key.group(1);
            assertTrue(ours.contains("\"" + name + "\": "), () -> "stock rsync's -VV has the capability " + name + "; ours:\n" + ours);
        }
    }

    /**
     * --info and --debug take rsync's words (rsync's suite starts with --info=help and --debug=help): help lists
     * them, an unknown one is rsync's usage error, and --info=stats2 is --stats.
     */
    @Test
    void infoAndDebugTakeRsyncsWords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Jrsync info = Jrsync.run("--info=help").assertSuccess();
        assertTrue(info.stdout().contains("PROGRESS") && info.stdout().contains("STATS"), info::transcript);
        Jrsync debug = Jrsync.run("--debug=help").assertSuccess();
        assertTrue(debug.stdout().contains("FUZZY") && debug.stdout().contains("DELTASUM"), debug::transcript);
        Jrsync unknown = Jrsync.run("--info=nosuch", "a", "b");
        assertEquals(1, unknown.exitCode(), unknown::transcript);
        assertTrue(unknown.stderr().contains("Unknown --info item: \"nosuch\""), unknown::transcript);
        java.nio.file.Files.writeString(tmp.resolve("f"), "x");
        Jrsync huge = Jrsync.run("--info=name99999999999999999999", "--debug=all4294967296", tmp + "/f",
                tmp.resolve("h").toString());
        assertEquals(0, huge.exitCode(), huge::transcript); // rsync's suite, scanner-argv-bounds
        Jrsync stats = Jrsync.run("-a", "--info=stats2,progress0", "--debug=FUZZY,deltasum2", tmp + "/f",
                tmp.resolve("g").toString()).assertSuccess();
        assertTrue(stats.stdout().contains("Number of files: 1 (reg: 1)"), stats::transcript);
    }

    @Test
    void helpListsEveryOptionAUserMayGive() {
        String help = Jrsync.run("--help").assertSuccess().stdout();
        for (OptionSpec spec : OptionTable.specs()) {
            if (spec.help() == null || spec.scope() == OptionSpec.Scope.SERVER) {
                continue;
            }
            String shown = spec.longNames().isEmpty() ? "-" + spec.shortName() : "--" + spec.longNames().getFirst();
            assertTrue(help.contains(shown), () -> shown + " missing from --help");
        }
        assertTrue(help.contains("--exclude=PATTERN"), help);
        assertTrue(help.contains("--compress-choice=STR"), help);
    }

    @Test
    void unknownOptionIsASyntaxError() {
        Jrsync r = Jrsync.run("-a", "--no-such-option", "a", "b");
        assertEquals(1, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("--no-such-option: unknown option"), r::transcript);
        assertTrue(r.stderr().contains("syntax or usage error (code 1)"), r::transcript);
    }

    @Test
    void aWatchTargetWithoutWatchIsASyntaxError() {
        Jrsync r = Jrsync.run("-a", "src/", "dst", "--watch-target=dst2");
        assertEquals(1, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("--watch-target needs --watch"), r::transcript);
    }

    @Test
    void unknownCompressionIsUnsupported() {
        Jrsync r = Jrsync.run("-a", "--compress-choice=brotli", "a", "rsync://127.0.0.1:1/m/");
        assertEquals(4, r.exitCode(), r::transcript);
    }

    @Test
    void refusedConnectionIsASocketError() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        Jrsync r = Jrsync.run("-a", "/nonexistent-src/", "rsync://127.0.0.1:1/mod/");
        assertEquals(10, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("error in socket IO (code 10)"), r::transcript);
    }

    @Test
    void eventsIsDispatchedToTheInotifywaitCompatibleCommand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // The watch is in place at some moment we cannot see from here: write until one write is reported.
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50 && !done.get(); i++) {
                try {
                    Thread.sleep(200);
                    java.nio.file.Files.writeString(dir.resolve("new" + i + ".txt"), "x");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        Jrsync r = Jrsync.run("events", "-e", "close_write", "-t", "10", dir.toString());
        done.set(true);
        writer.join();
        assertEquals(0, r.exitCode(), r::transcript);
        assertTrue(r.stdout().matches(java.util.regex.Pattern.quote(dir + "/") + " CLOSE_WRITE,CLOSE new\\d+\\.txt\n"),
                r::transcript);
        assertTrue(r.stderr().contains("Watches established."), r::transcript);

        Jrsync idle = Jrsync.run("events", "-q", "-t", "1", dir.toString());
        assertEquals(2, idle.exitCode(), "inotifywait's exit code for a timeout\n" + idle.transcript());
    }

    /** A daemon that accepts and then says nothing: --timeout ends the run with rsync's code 30. */
    @Test
    void silentDaemonTimesOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = silent.accept()) {
                    Thread.sleep(10_000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            long start = System.nanoTime();
            Jrsync r = Jrsync.run("-a", "--timeout=1", dir + "/",
                    "rsync://127.0.0.1:" + silent.getLocalPort() + "/mod/");
            long millis = (System.nanoTime() - start) / 1_000_000;
            acceptor.interrupt();
            assertEquals(30, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("timeout"), r::transcript);
            assertTrue(millis < 8_000, () -> "took " + millis + " ms");
        }
    }

    /**
     * The far end of a remote shell is told by --server among the options, wherever a wrapper put it (rrsync, or
     * a shim that runs "jrsync --fake-super \"$@\"": rsync's suite, rrsync-specials-denied), not by a path.
     */
    @Test
    void serverModeIsToldByTheOptionWhereverItIs() {
        assertTrue(Main.isShellServer(new String[] {"--server", "-logDtpre.iLsfxCIvu", ".", "d/"}));
        assertTrue(Main.isShellServer(new String[] {"--fake-super", "--server", "-logDtpre.iLsfxCIvu", ".", "d/"}));
        assertFalse(Main.isShellServer(new String[] {"-a", ".", "--server"}), "a name after the dot is a path");
        assertFalse(Main.isShellServer(new String[] {"--server", "--daemon", "."}));
    }
}
