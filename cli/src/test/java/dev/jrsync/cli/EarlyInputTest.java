package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --early-input}: the client's file reaches a module's {@code early exec} on its standard input, at a stock
 * daemon and at the Java one; a file over rsync's 5120 bytes is refused before anything is sent.
 */
class EarlyInputTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void earlyInputReachesTheEarlyExec(StockRsync rsync) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "x\n");
        Path hook = tmp.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\ncat > \"$1\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        Path input = Files.writeString(tmp.resolve("input"), "token=abc 123\nsecond line\n");
        Path stockGot = tmp.resolve("stock-got");
        Path javaGot = tmp.resolve("java-got");
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("d"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false).line("early exec = " + hook + " " + stockGot))
                .start();
             ModuleDaemon java = ModuleDaemon.start(mod, tmp.resolve("rsyncd.log"), 0,
                     "early exec = " + hook + " " + javaGot + "\n")) {
            for (String url : List.of(stock.url("m") + "/", java.url())) {
                Jrsync.run("-a", "--early-input=" + input, src + "/", url).assertSuccess();
            }
            assertEquals(Files.readString(input), Files.readString(stockGot));
            assertEquals(Files.readString(input), Files.readString(javaGot));

            Path big = Files.writeString(tmp.resolve("big"), "y".repeat(5121));
            Jrsync tooBig = Jrsync.run("-a", "--early-input=" + big, src + "/", java.url());
            assertEquals(5, tooBig.exitCode(), tooBig::transcript);
            assertTrue(tooBig.stderr().contains(big + " is > 5120 bytes."), tooBig::transcript);
        }
    }
}
