package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsync 3.5's planted-symlink tests (testsuite/password-file-symlink, excludefrom-symlink, filter-merge-symlink,
 * nondaemon-symlink-race, symlink-dest-backupdir, operator-path-*): run as root, jrsync follows no symlink that
 * someone else owns on the way to a file or directory an option names. The attacker's symlinks here belong to
 * nobody (65534) and lead out of the tree to a victim that must stay untouched and unread.
 */
class PlantedSymlinkTest {
    private static final int NOBODY = 65534;
    private static final FileTime PINNED = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path tmp;
    Path src;
    Path dest;
    Path outside;

    @BeforeEach
    void tree() throws IOException {
        Peers.require(CurrentUser.isRoot(), () -> "planting a symlink owned by another user needs root");
        src = Files.createDirectories(tmp.resolve("src"));
        dest = Files.createDirectories(tmp.resolve("dest"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    /** A symlink at {@code link} to {@code target}, owned by nobody: the attacker's. */
    private static Path plant(Path link, Path target) throws IOException {
        Files.createSymbolicLink(link, target);
        Posix.lchown(link, NOBODY, NOBODY);
        return link;
    }

    // testsuite/password-file-symlink_test.py
    @Test
    void passwordFileThroughSomeoneElsesSymlinkIsNotRead() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Files.writeString(src.resolve("f"), "data\n");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("auth", dest).readOnly(false).authUser("tuser", "correctpass"))
                .start()) {
            // The victim holds the right password, so reading it would let the push in.
            Path victim = Files.createDirectories(outside.resolve("real"));
            Files.writeString(victim.resolve("pw"), "correctpass\n");
            Files.setPosixFilePermissions(victim.resolve("pw"), PosixFilePermissions.fromString("rw-------"));
            Path plants = Files.createDirectories(tmp.resolve("plants"));
            Files.copy(victim.resolve("pw"), plants.resolve("own"));
            Map<String, String> env = Map.of("RSYNC_PASSWORD", "env-fallback-wrong");

            Jrsync.run(env, "-a", "--password-file=" + plants.resolve("own"), src + "/", daemon.url("tuser", "auth"))
                    .assertSuccess();

            Path leaf = plant(plants.resolve("leaf"), victim.resolve("pw"));
            Path parent = plant(plants.resolve("parent"), victim);
            for (Path pw : new Path[] {leaf, parent.resolve("pw")}) {
                Jrsync r = Jrsync.run(env, "-a", "--password-file=" + pw, src + "/", daemon.url("tuser", "auth"));
                assertEquals(1, r.exitCode(), r::transcript); // RERR_SYNTAX, before connecting
                assertTrue(r.stderr().contains("could not open password file " + pw
                        + ": Too many levels of symbolic links (40)"), r::transcript);
            }
        }
    }

    // testsuite/operator-path-files-from_test.py
    @Test
    void filesFromThroughSomeoneElsesSymlinkIsNotRead() throws IOException {
        Files.writeString(src.resolve("canary"), "would-be-transferred\n");
        Path list = Files.writeString(outside.resolve("list"), "canary\n");
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path leaf = plant(plants.resolve("list"), list);
        Jrsync r = Jrsync.run("-a", "--files-from=" + leaf, src + "/", dest + "/");
        assertEquals(11, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("failed to open files-from file " + leaf
                + ": Too many levels of symbolic links (40)"), r::transcript);
        assertFalse(Files.exists(dest.resolve("canary")));
        Path own = Files.createSymbolicLink(plants.resolve("own"), list);
        Jrsync.run("-a", "--files-from=" + own, src + "/", dest + "/").assertSuccess();
        assertTrue(Files.exists(dest.resolve("canary")), "the user's own symlink is followed");
    }

    // testsuite/log-file-symlink_test.py
    @Test
    void logFileThroughSomeoneElsesSymlinkIsNotWritten() throws IOException {
        Files.writeString(src.resolve("f"), "payload\n");
        Path victim = Files.writeString(outside.resolve("victim"), "INITIAL\n");
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path leaf = plant(plants.resolve("log"), victim);
        Jrsync r = Jrsync.run("-a", "--log-file=" + leaf, src + "/", dest + "/");
        assertEquals(11, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("failed to open log-file " + leaf + ": Too many levels of symbolic links (40)"),
                r::transcript);
        assertEquals("INITIAL\n", Files.readString(victim));
        // the user's own log file, and one made new, are written
        Path own = plants.resolve("own.log");
        Jrsync.run("-a", "--log-file=" + own, src + "/", dest + "/").assertSuccess();
        assertTrue(Files.readString(own).contains("building file list"), () -> own.toString());
    }

    // testsuite/excludefrom-symlink_test.py
    @Test
    void excludeFromThroughSomeoneElsesSymlinkIsRefused() throws IOException {
        Files.writeString(src.resolve("canary"), "would-be-transferred\n");
        Path real = Files.createDirectories(outside.resolve("real"));
        Files.writeString(real.resolve("list"), "canary\n");
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path leaf = plant(plants.resolve("leaf"), real.resolve("list"));
        Path parent = plant(plants.resolve("parent"), real);
        for (Path list : new Path[] {leaf, parent.resolve("list")}) {
            Jrsync r = Jrsync.run("-a", "--exclude-from=" + list, src + "/", dest + "/");
            assertEquals(11, r.exitCode(), r::transcript); // RERR_FILEIO
            assertTrue(r.stderr().contains("failed to open exclude file " + list
                    + ": Too many levels of symbolic links (40)"), r::transcript);
            assertFalse(Files.exists(dest.resolve("canary")), "nothing is copied after a refused rules file");
        }
        // The user's own symlink to the same list is followed, as rsync does.
        Path own = Files.createSymbolicLink(plants.resolve("own"), real.resolve("list"));
        Jrsync.run("-a", "--exclude-from=" + own, src + "/", dest + "/").assertSuccess();
        assertFalse(Files.exists(dest.resolve("canary")));
    }

    // testsuite/filter-merge-symlink_test.py: a per-directory rules file planted in the source tree
    @Test
    void dirMergeFilePlantedAsSomeoneElsesSymlinkIsIgnored() throws IOException {
        Path sub = Files.createDirectories(src.resolve("sub"));
        Files.writeString(sub.resolve("canary"), "would-be-transferred\n");
        Path secret = Files.writeString(outside.resolve("secret"), "- canary\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        plant(sub.resolve(".rsync-filter"), Path.of("../../outside/secret"));

        Jrsync.run("-a", "-F", src + "/", dest + "/").assertSuccess();
        assertEquals("would-be-transferred\n", Files.readString(dest.resolve("sub/canary")));
    }

    // testsuite/nondaemon-symlink-race, symlink-dest-backupdir and operator-path-backup-dir
    @Test
    void backupDirThroughSomeoneElsesSymlinkStopsTheTransfer() throws IOException {
        Files.writeString(src.resolve("f"), "NEW-PUSHED-CONTENT\n");
        Files.writeString(dest.resolve("f"), "OLD\n");
        plant(dest.resolve("bdir"), outside);
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        plant(plants.resolve("opd"), outside);
        for (String bdir : new String[] {"bdir", plants.resolve("opd/sub").toString()}) {
            Jrsync r = Jrsync.run("-a", "--backup", "--backup-dir=" + bdir, src + "/", dest + "/");
            assertEquals(11, r.exitCode(), r::transcript); // RERR_FILEIO, as rsync's finish_transfer
            assertTrue(r.stderr().contains("keep_backup failed: \"" + dest.resolve("f") + "\" -> \"" + bdir
                    + "/f\": Too many levels of symbolic links (40)"), r::transcript);
            assertEquals("OLD\n", Files.readString(dest.resolve("f")), "nothing is replaced unsaved");
            assertEquals(0, Files.list(outside).count(), "nothing lands outside the tree");
        }
        // The user's own symlink is the user's own backup directory.
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.createSymbolicLink(dest.resolve("own"), mine);
        Jrsync.run("-a", "--backup", "--backup-dir=own", src + "/", dest + "/").assertSuccess();
        assertEquals("OLD\n", Files.readString(mine.resolve("f")));
        assertEquals("NEW-PUSHED-CONTENT\n", Files.readString(dest.resolve("f")));
    }

    // testsuite/operator-path-*'s insecure cells, operator-path-insecure-links-refused and -daemon
    @Test
    void insecureLinksFollowsAnyonesSymlinkAndOnlyLocally() throws Exception {
        Files.writeString(src.resolve("f"), "NEW-CONTENT\n");
        Files.writeString(dest.resolve("f"), "OLD\n");
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        plant(plants.resolve("opd"), outside);
        Jrsync.run("-a", "--backup-dir=" + plants.resolve("opd/sub"), "--insecure-links", src + "/", dest + "/")
                .assertSuccess();
        assertEquals("OLD\n", Files.readString(outside.resolve("sub/f")), "the opt-out follows nobody's symlink");
        Path victim = outside.resolve("victim.log");
        Jrsync.run("-a", "--log-file=" + plants.resolve("opd/victim.log"), "--insecure-links", src + "/", dest + "/")
                .assertSuccess();
        assertTrue(Files.readString(victim).contains("building file list"), victim::toString);

        Jrsync both = Jrsync.run("-a", "--insecure-links", "--confine-root=" + tmp, src + "/", dest + "/");
        assertEquals(1, both.exitCode(), both::transcript);
        assertTrue(both.stderr().contains("--insecure-links cannot be combined with --confine-root"), both::transcript);

        // a client cannot switch a daemon's confinement off, a stock daemon's nor ours
        for (StockRsync rsync : StockRsync.peers().toList()) {
            try (StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("d-" + rsync.version()))
                    .module(StockDaemon.Module.of("m", dest)).start();
                 ModuleDaemon java = ModuleDaemon.start(dest, tmp.resolve("rsyncd.log"), 0, "")) {
                for (String url : new String[] {stock.url("m") + "/", java.url()}) {
                    ProcessResult r = StockClient.of(rsync).run("-M--insecure-links", url);
                    assertNotEquals(0, r.exitCode(), r.transcript());
                    assertTrue(r.stderr().contains("insecure-links"), r.transcript());
                }
            }
        }
    }

    // testsuite/log-file-symlink_test.py: the user's own symlink to a log file yet to be made
    @Test
    void logFileThroughTheUsersOwnSymlinkIsCreatedWhereItLeads() throws IOException {
        Files.writeString(src.resolve("f"), "payload\n");
        Path link = Files.createSymbolicLink(tmp.resolve("log"), outside.resolve("new.log"));
        Jrsync.run("-a", "--log-file=" + link, src + "/", dest + "/").assertSuccess();
        assertTrue(Files.readString(outside.resolve("new.log")).contains("building file list"));
        assertTrue(Files.isSymbolicLink(link), "the link is left as it was");
    }

    // testsuite/operator-path-partial-dir
    @Test
    void absolutePartialDirIsAnOperatorPathAndIsKept() throws IOException {
        Files.writeString(src.resolve("f"), "PAYLOAD\n");
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        plant(plants.resolve("opd"), outside);
        Jrsync r = Jrsync.run("-a", "--delay-updates", "--partial-dir=" + plants.resolve("opd/sub"), src + "/",
                dest + "/");
        assertNotEquals(0, r.exitCode(), r::transcript);
        assertFalse(Files.exists(outside.resolve("sub")), "nobody's symlink was followed");
        Path mine = Files.createSymbolicLink(plants.resolve("mine"), outside);
        Jrsync.run("-a", "--delay-updates", "--partial-dir=" + mine.resolve("sub"), src + "/", dest + "/")
                .assertSuccess();
        assertEquals("PAYLOAD\n", Files.readString(dest.resolve("f")));
        assertTrue(Files.isDirectory(outside.resolve("sub")), "an absolute partial dir is made and kept, as rsync does");
    }

    // testsuite/symlink-race-dest and symlink-race-relative-dest
    @Test
    void destinationThroughSomeoneElsesSymlinkIsNotEntered() throws IOException {
        Files.writeString(src.resolve("f"), "payload\n");
        plant(dest.resolve("sub"), outside);
        for (String to : new String[] {dest.resolve("sub") + "/", dest.resolve("sub/deeper") + "/"}) {
            Jrsync r = Jrsync.run("-a", src + "/", to);
            assertEquals(3, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("change_dir#1 \"" + dest.resolve("sub") + "\" failed: Too many levels of symbolic"
                    + " links (40)"), r::transcript);
        }
        assertEquals(0, Files.list(outside).count(), "nothing lands outside the tree");
        Jrsync.run("-a", "--insecure-links", src + "/", dest.resolve("sub") + "/").assertSuccess();
        assertEquals("payload\n", Files.readString(outside.resolve("f")), "the opt-out enters it");
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.createSymbolicLink(dest.resolve("own"), mine);
        Jrsync.run("-a", src + "/", dest.resolve("own") + "/").assertSuccess();
        assertEquals("payload\n", Files.readString(mine.resolve("f")), "the user's own symlinked destination");
    }

    // testsuite/operator-path-temp-dir
    @Test
    void tempDirThroughSomeoneElsesSymlinkIsNotWrittenTo() throws IOException {
        Files.writeString(src.resolve("f"), "PAYLOAD\n");
        Files.setLastModifiedTime(outside, PINNED);
        Path plants = Files.createDirectories(tmp.resolve("plants"));
        Path leaf = plant(plants.resolve("osl"), outside);
        plant(plants.resolve("opd"), tmp);
        for (Path td : new Path[] {leaf, plants.resolve("opd/outside")}) {
            Jrsync r = Jrsync.run("-a", "--temp-dir=" + td, src + "/", dest + "/");
            assertEquals(23, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("Too many levels of symbolic links (40)"), r::transcript);
            assertEquals(PINNED, Files.getLastModifiedTime(outside), "no temp file was made outside");
            assertFalse(Files.exists(dest.resolve("f")));
        }
        Path mine = Files.createSymbolicLink(plants.resolve("mine"), outside);
        Jrsync.run("-a", "--temp-dir=" + mine, src + "/", dest + "/").assertSuccess();
        assertEquals("PAYLOAD\n", Files.readString(dest.resolve("f")));
        assertFalse(PINNED.equals(Files.getLastModifiedTime(outside)), "the user's own temp dir was used");
    }

    // testsuite/operator-path-link-dest, -compare-dest, -copy-dest and alt-dest-symlink-race
    @Test
    void basisDirsThroughSomeoneElsesSymlinkAreNotSearched() throws IOException {
        Path basis = Files.createDirectories(outside.resolve("basis"));
        Files.writeString(src.resolve("f"), "SRC\n");
        Files.writeString(basis.resolve("f"), "OUT\n"); // same size and time: a match by the quick check
        Files.setLastModifiedTime(src.resolve("f"), PINNED);
        Files.setLastModifiedTime(basis.resolve("f"), PINNED);
        Object victimIno = Files.getAttribute(basis.resolve("f"), "unix:ino");
        plant(dest.resolve("osl"), basis);
        for (String option : new String[] {"--link-dest", "--copy-dest", "--compare-dest"}) {
            Jrsync r = Jrsync.run("-a", option + "=osl", src + "/", dest + "/");
            assertEquals("SRC\n", Files.readString(dest.resolve("f")), option + " took the file from the sender");
            assertFalse(victimIno.equals(Files.getAttribute(dest.resolve("f"), "unix:ino")), option + " linked");
            assertEquals(0, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains(option + " arg " + dest.resolve("osl")
                    + ": Too many levels of symbolic links (40)"), r::transcript);
            Files.delete(dest.resolve("f"));
        }
        // The user's own symlink to the same directory is searched.
        Files.createSymbolicLink(dest.resolve("own"), basis);
        Jrsync.run("-a", "--link-dest=own", src + "/", dest + "/").assertSuccess();
        assertEquals(victimIno, Files.getAttribute(dest.resolve("f"), "unix:ino"));
    }

    // testsuite/temp-dir-symlink-injection: the temp dir flipped with someone else's symlink while files arrive
    @Test
    void tempDirSwappedDuringTheTransferIsNotFollowed() throws Exception {
        Path td = Files.createDirectories(tmp.resolve("tmproot/td"));
        Path link = plant(tmp.resolve("tmproot/.tdlink"), outside);
        for (int i = 0; i < 40; i++) {
            Files.writeString(src.resolve("f" + i), "LEGIT-" + "x".repeat(200_000) + "\n");
        }
        Files.setLastModifiedTime(outside, PINNED);
        raceAgainst(td, link, () -> {
            deleteTree(dest);
            Jrsync.run("-r", "--temp-dir=" + td, src + "/", dest + "/");
            return Files.getLastModifiedTime(outside).equals(PINNED) ? null : "a temp file was made in " + outside;
        });
    }

    // testsuite/backup-dir-symlink-race: a directory below --backup-dir flipped with someone else's symlink
    @Test
    void backupSubdirSwappedDuringTheTransferIsNotFollowed() throws Exception {
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        Path sub = Files.createDirectories(backup.resolve("sub"));
        Path link = plant(backup.resolve(".sublink"), outside);
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < 95; i++) {
            Files.writeString(src.resolve("sub/f" + i), "payload\n");
        }
        raceAgainst(sub, link, () -> {
            Files.createDirectories(dest.resolve("sub"));
            for (int i = 0; i < 95; i++) {
                Files.writeString(dest.resolve("sub/f" + i), "different, longer\n");
            }
            Jrsync.run("-a", "-b", "--backup-dir=" + backup, src + "/", dest + "/");
            try (var left = Files.list(outside)) {
                return left.findAny().map(p -> "a backup escaped to " + p).orElse(null);
            }
        });
    }

    // testsuite/copy-dest-symlink-readleak: the --copy-dest directory flipped with someone else's symlink
    @Test
    void copyDestSwappedDuringTheTransferLeaksNothing() throws Exception {
        Path cd = Files.createDirectories(tmp.resolve("cdroot/cd"));
        Path link = plant(tmp.resolve("cdroot/.cdlink"), outside);
        for (int i = 0; i < 60; i++) {
            for (Path p : new Path[] {src.resolve("f" + i), cd.resolve("f" + i), outside.resolve("f" + i)}) {
                Files.writeString(p, p.startsWith(outside) ? "SECRET\n" : p.startsWith(src) ? "SRC\n" : "BAS\n");
                Files.setLastModifiedTime(p, PINNED);
            }
        }
        raceAgainst(cd, link, () -> {
            deleteTree(dest);
            Jrsync.run("-rt", "--copy-dest=" + cd, src + "/", dest + "/");
            for (int i = 0; i < 60; i++) {
                Path f = dest.resolve("f" + i);
                if (Files.exists(f) && Files.readString(f).equals("SECRET\n")) {
                    return "the outside file was copied into " + f;
                }
            }
            return null;
        });
    }

    // testsuite/rename-fullpath-symlink-race: a destination directory flipped with a symlink out of the tree while
    // files arrive from an absolute --temp-dir; the receiver's names are pinned beneath the destination
    @Test
    void destinationParentSwappedDuringTheTransferIsNotFollowed() throws Exception {
        Path td = Files.createDirectories(tmp.resolve("td"));
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < 40; i++) {
            Files.writeString(src.resolve("sub/f" + i), "payload\n");
        }
        Path sub = dest.resolve("sub");
        Path link = plant(dest.resolve(".sublink"), outside);
        raceAgainst(sub, link, () -> {
            try {
                Files.createDirectories(sub);
            } catch (java.nio.file.FileAlreadyExistsException flipped) {
                // the flipper holds the name this moment: the link stands there
            }
            Jrsync.run("-a", "--temp-dir=" + td, src + "/", dest + "/");
            try (var left = Files.list(outside)) {
                return left.filter(Files::isRegularFile).findAny().map(p -> "a file was written to " + p).orElse(null);
            }
        });
    }

    /** A transfer run again and again while {@code dir} and someone else's {@code link} swap names; none may escape. */
    private static void raceAgainst(Path dir, Path link, Callable<String> transferAndEscape) throws Exception {
        Path spare = dir.resolveSibling(dir.getFileName() + ".flip");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong flips = new AtomicLong();
        Thread flipper = Thread.ofPlatform().daemon().start(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stop.get() && System.nanoTime() < end) {
                try {
                    // name-only renames: the link keeps its owner
                    Files.move(dir, spare, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, dir, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(spare, link, StandardCopyOption.ATOMIC_MOVE);
                    flips.incrementAndGet();
                } catch (IOException ignored) {
                    // a rename lost to the transfer's own work: try again
                }
            }
        });
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            for (int round = 0; round < 40 && System.nanoTime() < end; round++) {
                String escape = transferAndEscape.call();
                assertNull(escape, () -> escape + " after " + flips.get() + " flips");
            }
        } finally {
            stop.set(true);
            flipper.join(10_000);
        }
        assertTrue(flips.get() > 100, "the race ran: " + flips.get() + " flips");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
