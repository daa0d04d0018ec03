package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.SessionLog;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --link-dest}, {@code --copy-dest} and {@code --compare-dest} into a local copy and a pull. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BasisDirsTest {
    private static final String CHANGED = "small.txt";

    @TempDir
    Path tmp;
    Path src;
    Path old;

    final List<String> lines = new ArrayList<>();
    final SessionLog log = new SessionLog() {
        @Override
        public synchronized void info(String line) {
            lines.add(line);
        }

        @Override
        public synchronized void error(String line) {
            lines.add("ERR " + line);
        }
    };

    /** Yesterday's copy in {@code old}; today {@code small.txt} changed in the source. */
    @BeforeEach
    void yesterday() throws IOException {
        src = tmp.resolve("src");
        old = tmp.resolve("old");
        TestTrees.buildVaried(src);
        copy(src, old, "-a");
        Files.writeString(src.resolve(CHANGED), "changed since yesterday\n");
        lines.clear();
    }

    private TransferResult copy(Path from, Path to, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(from + "/");
        argv.add(to.toString());
        Options o = OptionParser.parse(argv);
        return LocalCopy.run(o, List.of(from + "/"), to, Filters.from(o), log);
    }

    private static TreeAssert.Option[] identical() {
        List<TreeAssert.Option> options = new ArrayList<>(List.of(TreeAssert.Option.NANOSECONDS));
        if (CurrentUser.isRoot()) {
            options.add(TreeAssert.Option.OWNERSHIP);
        }
        return options.toArray(TreeAssert.Option[]::new);
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.readAttributes(a, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .equals(Files.readAttributes(b, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private String transcript() {
        return String.join("\n", lines);
    }

    @Test
    void linkDestHardLinksWhatIsUnchangedAndSendsOnlyTheChange() throws IOException {
        Path today = tmp.resolve("today");
        TransferResult r = copy(src, today, "-a", "--link-dest=../old");
        TreeAssert.assertIdentical(src, today, identical());
        assertTrue(sameFile(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)), this::transcript);
        assertTrue(sameFile(old.resolve("deep/a/b/c/leaf.txt"), today.resolve("deep/a/b/c/leaf.txt")));
        assertTrue(sameFile(old.resolve("link-to-small"), today.resolve("link-to-small")), "symlinks are linked too");
        assertFalse(sameFile(old.resolve(CHANGED), today.resolve(CHANGED)));
        assertEquals(1, r.stats().transferredFiles, this::transcript);
        assertEquals(Files.size(src.resolve(CHANGED)), r.stats().literalData);
        assertEquals(0, r.ioError(), this::transcript);

        // Run again: the links are found in place and nothing changes.
        TransferResult again = copy(src, today, "-a", "--link-dest=../old");
        assertEquals(0, again.stats().transferredFiles, this::transcript);
        assertTrue(sameFile(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)));
    }

    @Test
    void copyDestCopiesLocallyAndCompareDestLeavesUnchangedFilesOut() throws IOException {
        Path copied = tmp.resolve("copied");
        TransferResult c = copy(src, copied, "-a", "--copy-dest=" + old);
        TreeAssert.assertIdentical(src, copied, identical());
        assertFalse(sameFile(old.resolve(TestTrees.BIG_FILE), copied.resolve(TestTrees.BIG_FILE)));
        assertEquals(Files.size(src.resolve(CHANGED)), c.stats().literalData, this::transcript);

        Path compared = tmp.resolve("compared");
        copy(src, compared, "-a", "--compare-dest=../old");
        assertTrue(Files.isRegularFile(compared.resolve(CHANGED)));
        assertEquals("changed since yesterday\n", Files.readString(compared.resolve(CHANGED)));
        assertFalse(Files.exists(compared.resolve(TestTrees.BIG_FILE)), "unchanged files are left out");
        assertFalse(Files.exists(compared.resolve("link-to-small"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(compared.resolve("deep/a/b/c")), "directories are still created");
    }

    @Test
    void aChangedFileUsesItsCopyInTheBasisDirectoryForTheDelta() throws IOException {
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 7, 2);
        Path today = tmp.resolve("today");
        TransferResult r = copy(src, today, "-a", "--no-W", "--copy-dest=../old");
        TreeAssert.assertIdentical(src, today, identical());
        assertTrue(r.stats().matchedData > TestTrees.BIG_SIZE / 2, () -> r.stats().matchedData + "\n" + transcript());
        assertTrue(r.stats().literalData < 256 * 1024, () -> r.stats().literalData + "\n" + transcript());
    }

    @Test
    void severalDirectoriesAreSearchedInOrderAndAMissingOneIsWarnedAbout() throws IOException {
        Path today = tmp.resolve("today");
        copy(src, today, "-a", "--link-dest=../missing", "--link-dest=../old");
        TreeAssert.assertIdentical(src, today, identical());
        assertTrue(sameFile(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)));
        assertTrue(lines.stream().anyMatch(l -> l.contains("--link-dest arg does not exist")), this::transcript);
    }

    @Test
    void theTypesDoNotMixAndAtMostTwentyDirectoriesAreTaken() {
        OptionException mixed = assertThrows(OptionException.class,
                () -> OptionParser.parse("-a", "--link-dest=a", "--copy-dest=b", "src/", "dst"));
        assertTrue(mixed.getMessage().contains("--copy-dest option conflicts with the --link-dest option"),
                mixed::getMessage);
        List<String> argv = new ArrayList<>(List.of("-a"));
        for (int i = 0; i <= 20; i++) {
            argv.add("--compare-dest=d" + i);
        }
        argv.addAll(List.of("src/", "dst"));
        OptionException many = assertThrows(OptionException.class, () -> OptionParser.parse(argv));
        assertTrue(many.getMessage().contains("at most 20 --compare-dest args"), many::getMessage);
        assertEquals(20, OptionParser.parse(argv.subList(0, 21).toArray(String[]::new)).basisDirs.size());
    }

    @Test
    void aPullFromAStockDaemonLinksUnchangedFiles() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path today = tmp.resolve("today");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", src).readOnly(true)).start()) {
            List<String> argv = List.of("-a", "--link-dest=../old", daemon.url("mod"), today.toString());
            Options o = OptionParser.parse(argv);
            TransferResult r = Pull.run(o, DaemonAddress.parse(daemon.url("mod"), DaemonAddress.DEFAULT_PORT), today,
                    Filters.from(o), log, Map.of());
            TreeAssert.assertIdentical(src, today, identical());
            assertTrue(sameFile(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)), this::transcript);
            assertEquals(1, r.stats().transferredFiles, this::transcript);
            assertTrue(daemon.awaitSessions(1, Duration.ofSeconds(10)).find(TestTrees.BIG_FILE).isEmpty(),
                    "the daemon sent no unchanged file");
        }
    }
}
