package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's {@code insecure links} (rsync 3.5's rsyncd.conf, off by default), pulled by the stock client (rsync's
 * suite: insecure-links-admin-optout): the daemon's sender follows no symlink out of the module for {@code
 * --copy-dirlinks} or {@code -L}, unless the administrator set {@code insecure links = yes} for that module, which
 * restores rsync 3.2.7's following there alone.
 */
class DaemonInsecureLinksTest {
    @TempDir
    Path tmp;

    @Test
    void aSymlinkOutOfTheModuleIsFollowedOnlyWhereTheAdministratorAllowsIt() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Files.writeString(mod.resolve("intree.txt"), "in-module\n");
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "OUT-OF-MODULE\n");
        Files.createSymbolicLink(mod.resolve("sub"), Path.of("../outside"));
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser() + """
                [secure]
                path = %s
                [insecure]
                path = %s
                insecure links = yes
                """.formatted(mod, mod), Duration.ofSeconds(10))) {
            for (String follow : new String[] {"--copy-dirlinks", "-L"}) {
                Path secure = tmp.resolve("secure" + follow);
                ProcessResult refused = pull(stock, "-r", follow, daemon.url("secure/"), secure + "/");
                assertEquals(23, refused.exitCode(), refused.transcript());
                assertTrue(refused.stderr().contains("opendir \"sub\" failed"), refused.transcript());
                assertFalse(Files.exists(secure.resolve("sub/secret.txt")), follow + " served the outside file");
                assertEquals("in-module\n", Files.readString(secure.resolve("intree.txt")));

                Path insecure = tmp.resolve("insecure" + follow);
                pull(stock, "-r", follow, daemon.url("insecure/"), insecure + "/").assertSuccess();
                assertEquals("OUT-OF-MODULE\n", Files.readString(insecure.resolve("sub/secret.txt")));
            }
        }
    }

    private static ProcessResult pull(StockRsync r, String... args) {
        return StockClient.of(r).timeout(Duration.ofSeconds(60)).run(args);
    }
}
