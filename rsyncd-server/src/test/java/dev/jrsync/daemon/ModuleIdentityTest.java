package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.ThreadCredentials;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking a module's identity ({@code rsync/clientserver.c:rsync_module}). */
class ModuleIdentityTest {
    /** One more group than the kernel takes in a supplementary list (NGROUPS_MAX). */
    private static final int TOO_MANY_GROUPS = 65537;

    @TempDir
    Path tmp;

    /**
     * The client is told which call failed, "setgroups failed" as rsync says it, not "setgid failed": a group
     * list longer than the kernel takes fails setgroups, as root or not, after the setgid to this thread's own
     * group has succeeded.
     */
    @Test
    void aFailedSetgroupsIsReportedAsSetgroups() throws Exception {
        int uid = ThreadCredentials.resuid()[1];
        int gid = ThreadCredentials.resgid()[1];
        String gids = IntStream.range(0, TOO_MANY_GROUPS).mapToObj(i -> Integer.toUnsignedString(gid))
                .collect(Collectors.joining(" "));
        ModuleConfig module = RsyncdConfig.parse("[m]\npath = " + tmp + "\nuse chroot = no\nuid = "
                + Integer.toUnsignedString(uid) + "\ngid = " + gids + "\n", "test.conf").module("m");
        ModuleIdentity identity = ModuleIdentity.resolve(module, tmp, IdNames.system(), user -> java.util.Set.of(),
                new DaemonLog(null, null));
        // a thread of its own: the identity, once taken, stays with the thread that took it
        CompletableFuture<ModuleIdentity.Refused> refused = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                identity.enter();
                refused.complete(null);
            } catch (ModuleIdentity.Refused e) {
                refused.complete(e);
            } catch (RuntimeException e) {
                refused.completeExceptionally(e);
            }
        });
        ModuleIdentity.Refused r = refused.get(10, TimeUnit.SECONDS);
        assertTrue(r != null, "entering a module with " + TOO_MANY_GROUPS + " groups succeeded");
        assertEquals("setgroups failed", r.clientText);
        assertTrue(r.getMessage().startsWith("setgroups failed: "), r.getMessage());
    }
}
