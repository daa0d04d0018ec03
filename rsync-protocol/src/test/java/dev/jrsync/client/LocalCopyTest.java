package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.PrintedLog;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalCopyTest {
    /** The file the basis directory tests change after "yesterday's" copy. */
    private static final String CHANGED = "small.txt";

    @TempDir
    Path tmp;

    final RecordingLog log = new RecordingLog();

    private TransferResult copy(Path src, Path dst, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(src + "/");
        argv.add(dst.toString());
        Options o = OptionParser.parse(argv);
        return LocalCopy.run(o, List.of(src + "/"), LocalDest.of(dst), Filters.from(o), PrintedLog.of(log, o));
    }

    /**
     * --delay-updates renames each staged file into place once all are in, backed up first with -b: in more
     * directories than the receiver keeps pinned at once, so that many were let go (and their descriptor numbers
     * reused) before the renames. Each file lands in its own directory, its old content in the backup's.
     */
    @Test
    void delayedUpdatesLandInTheirOwnDirectoriesPastThePinnedLimit() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        int dirs = dev.jrsync.session.PinnedDirs.MAX_OPEN + 64;
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d / 100 + "/e" + d));
            Files.writeString(dir.resolve("f"), "old " + d + "\n");
        }
        copy(src, dst, "-a");
        for (int d = 0; d < dirs; d++) {
            Files.writeString(src.resolve("d" + d / 100 + "/e" + d + "/f"), "new " + d + "\n");
        }
        TransferResult r = copy(src, dst, "-a", "--delay-updates", "-b", "--backup-dir=" + tmp.resolve("bak"));
        assertEquals(0, r.ioError(), log::text);
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        for (int d = 0; d < dirs; d += 97) {
            assertEquals("old " + d + "\n", Files.readString(tmp.resolve("bak/d" + d / 100 + "/e" + d + "/f")));
        }
    }

    @Test
    void copiesTheVariedTreeAndRecopiesWithDelete() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src);
        TransferResult r = copy(src, dst, "-a");
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        assertTrue(r.stats().literalData >= TestTrees.BIG_SIZE + TestTrees.MEDIUM_SIZE, () -> log.text());
        assertEquals(0, r.stats().matchedData);
        assertEquals(0, r.ioError(), () -> log.text());

        Files.writeString(dst.resolve("extra.txt"), "extra");
        Files.createDirectories(dst.resolve("deep/a/extra-dir/sub"));
        Files.writeString(dst.resolve("deep/a/extra-dir/sub/x"), "x");
        TransferResult again = copy(src, dst, "-a", "--delete");
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        assertEquals(0, again.stats().transferredFiles, () -> log.text());
        assertEquals(2, again.stats().deletedFiles);
        assertTrue(again.stats().deletedDirs >= 2, () -> "deleted dirs " + again.stats().deletedDirs);
    }

    @Test
    void noWholeFileUsesTheDeltaPath() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src);
        copy(src, dst, "-a");
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 7, 3);
        TransferResult r = copy(src, dst, "-a", "--no-W");
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        assertEquals(1, r.stats().transferredFiles);
        assertTrue(r.stats().matchedData > TestTrees.BIG_SIZE * 0.9, () -> "matched " + r.stats().matchedData);
        assertTrue(r.stats().literalData < TestTrees.BIG_SIZE / 20, () -> "literal " + r.stats().literalData);
        TreeAssert.assertNoTempFiles(dst);
    }

    @Test
    void wholeFileByDefaultEvenWhenChanged() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        copy(src, dst, "-a");
        Files.writeString(src.resolve("small.txt"), "changed content\n");
        TransferResult r = copy(src, dst, "-a");
        assertEquals(0, r.stats().matchedData);
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
    }

    @Test
    void optionsThatSkipOrKeepFiles() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        copy(src, dst, "-a");
        Files.writeString(src.resolve("small.txt"), "new small\n");
        Files.writeString(src.resolve("brand-new.txt"), "brand new\n");
        copy(src, dst, "-a", "--existing");
        assertFalse(Files.exists(dst.resolve("brand-new.txt")));
        assertEquals("new small\n", Files.readString(dst.resolve("small.txt")));
        Files.writeString(src.resolve("small.txt"), "newer small\n");
        copy(src, dst, "-a", "--ignore-existing");
        assertTrue(Files.exists(dst.resolve("brand-new.txt")));
        assertEquals("new small\n", Files.readString(dst.resolve("small.txt")));
        copy(src, dst, "-a", "-b");
        assertEquals("newer small\n", Files.readString(dst.resolve("small.txt")));
        assertEquals("new small\n", Files.readString(dst.resolve("small.txt~")));
        Files.delete(dst.resolve("small.txt~"));
        Files.writeString(src.resolve("small.txt"), "delayed\n");
        copy(src, dst, "-a", "--delay-updates", "--chmod=Fg+w");
        assertEquals("delayed\n", Files.readString(dst.resolve("small.txt")));
        assertFalse(Files.exists(dst.resolve(".~tmp~")));
        assertEquals("rw-rw-r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dst.resolve("small.txt"))));
        TreeAssert.assertNoTempFiles(dst);
    }

    @Test
    void inplaceSparseAndTempDir() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(src);
        byte[] data = new byte[1 << 20];
        data[5] = 1;
        data[data.length - 1] = 2;
        Files.write(src.resolve("sparse.bin"), data);
        Files.writeString(src.resolve("a.txt"), "aaa");
        copy(src, dst, "-a", "--sparse");
        assertTrue(Arrays.equals(data, Files.readAllBytes(dst.resolve("sparse.bin"))));
        data[7] = 9;
        Files.write(src.resolve("sparse.bin"), data);
        laterSecond(src.resolve("sparse.bin")); // same size: rsync's quick check compares whole seconds
        byte[] previous = Files.readAllBytes(dst.resolve("sparse.bin"));
        copy(src, dst, "-a", "--inplace", "--no-W", "-b");
        assertTrue(Arrays.equals(data, Files.readAllBytes(dst.resolve("sparse.bin"))));
        assertTrue(Arrays.equals(previous, Files.readAllBytes(dst.resolve("sparse.bin~"))));
        Files.delete(dst.resolve("sparse.bin~"));
        Path t = Files.createDirectories(tmp.resolve("tmpdir"));
        Files.writeString(src.resolve("a.txt"), "bbbb");
        copy(src, dst, "-a", "-T", t.toString());
        assertEquals("bbbb", Files.readString(dst.resolve("a.txt")));
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
    }

    /**
     * --preallocate reserves a file's blocks, and with --sparse the zero runs inside them, in a new file or one
     * rewritten in place (matched blocks too), are punched back into holes, as stock rsync leaves them (rsync's
     * suite: preallocate). Allocation is read with stat(1)'s block count, the kernel's word on it.
     */
    @Test
    void preallocatedAndInplaceSparseFilesKeepTheirHoles() throws IOException, InterruptedException {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = new byte[2 << 20];
        new java.util.Random(5).nextBytes(data);
        Arrays.fill(data, 4096, data.length - 4096, (byte) 0);
        Files.write(src.resolve("holey"), data);
        for (List<String> opts : List.of(List.of("--preallocate", "--sparse"), List.of("--inplace", "--sparse",
                "--no-whole-file", "--ignore-times"))) {
            Path ours = tmp.resolve("ours" + opts.size());
            Path theirs = tmp.resolve("theirs" + opts.size());
            if (opts.contains("--inplace")) { // rewritten in place over a fully allocated copy
                for (Path d : List.of(ours, theirs)) {
                    Files.createDirectories(d);
                    Files.write(d.resolve("holey"), data);
                }
            }
            List<String> args = new ArrayList<>(List.of("-a"));
            args.addAll(opts);
            List<String> stockArgs = new ArrayList<>(args);
            stockArgs.addAll(List.of(src + "/", theirs + "/"));
            StockClient.of(stock).run(stockArgs).assertSuccess();
            assertEquals(0, copy(src, ours, args.toArray(String[]::new)).ioError());
            assertArrayEquals(data, Files.readAllBytes(ours.resolve("holey")), opts.toString());
            long blocks = allocatedBytes(ours.resolve("holey"));
            assertTrue(blocks < data.length / 2, opts + ": " + blocks + " bytes allocated for " + data.length);
            assertTrue(allocatedBytes(theirs.resolve("holey")) < data.length / 2, "stock " + opts);
        }
    }

    private static long allocatedBytes(Path p) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).redirectErrorStream(true).start();
        String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        assertEquals(0, stat.waitFor());
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** Moves a file's time a few seconds on, as a change made later would, so the quick check sees it. */
    private static void laterSecond(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 3_000));
    }

    @Test
    void checksumAndSizeOnlyAndSingleFile() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        copy(src, dst, "-a");
        // Same size and mtime, different content: only -c notices.
        Path f = dst.resolve("small.txt");
        var mtime = Files.getLastModifiedTime(f);
        byte[] b = Files.readAllBytes(f);
        b[0] ^= 1;
        Files.write(f, b);
        Files.setLastModifiedTime(f, mtime);
        assertEquals(0, copy(src, dst, "-a").stats().transferredFiles);
        assertEquals(1, copy(src, dst, "-a", "-c").stats().transferredFiles);
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());

        Path single = tmp.resolve("single.txt");
        Options o = OptionParser.parse("-t", src.resolve("small.txt").toString(), single.toString());
        LocalCopy.run(o, List.of(src.resolve("small.txt").toString()), LocalDest.of(single), Filters.from(o), log);
        assertEquals(Files.readString(src.resolve("small.txt")), Files.readString(single));
    }

    @Test
    void deleteModesAndMaxDelete() throws IOException {
        for (String mode : List.of("--delete-before", "--delete-during", "--delete-delay", "--delete-after")) {
            Path src = tmp.resolve("src" + mode);
            Path dst = tmp.resolve("dst" + mode);
            TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
            copy(src, dst, "-a");
            Files.writeString(dst.resolve("gone1"), "x");
            Files.writeString(dst.resolve("bin/gone2"), "x");
            TransferResult r = copy(src, dst, "-a", mode);
            TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
            assertEquals(2, r.stats().deletedFiles, mode);
        }
        Path src = tmp.resolve("src-max");
        Path dst = tmp.resolve("dst-max");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        copy(src, dst, "-a");
        Files.writeString(dst.resolve("gone1"), "x");
        Files.writeString(dst.resolve("gone2"), "x");
        TransferResult dry = copy(src, dst, "-a", "-n", "-v", "--delete");
        assertEquals(2, dry.stats().deletedFiles);
        assertTrue(Files.exists(dst.resolve("gone1")) && Files.exists(dst.resolve("gone2")));
        assertTrue(log.lines().contains("deleting gone1"), () -> log.text());
        TransferResult r = copy(src, dst, "-a", "--delete", "--max-delete=1");
        assertEquals(1, r.stats().deletedFiles);
        assertTrue((r.ioError() & 4) != 0);
    }

    @Test
    void aFileWhoseChecksumFailsIsRedoneWithFullSums() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(src);
        TestTrees.writeRandom(src.resolve("f.bin"), 300_000, 3);
        copy(src, dst, "-a");
        TestTrees.editInPlace(src.resolve("f.bin"), 4, 2);
        // Change the receiver's basis behind the generator's back, once: after its sums, before the data.
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        Options o = OptionParser.parse("-a", "--no-W", "-vv", src + "/", dst.toString());
        TransferResult r = LocalCopy.run(o, List.of(src + "/"), LocalDest.of(dst), Filters.from(o), log, files -> entry -> {
            if (opens.getAndIncrement() == 0) {
                try (var ch = java.nio.channels.FileChannel.open(dst.resolve("f.bin"),
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[4096]), 100_000);
                }
            }
            return files.open(entry);
        });
        assertEquals(2, opens.get(), "the file is sent twice");
        assertEquals(2, r.stats().transferredFiles);
        assertEquals(0, r.ioError(), () -> log.text());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("failed verification")), () -> log.text());
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        TreeAssert.assertNoTempFiles(dst);
    }

    @Test
    void moreReceivingOptions() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        // -n changes nothing
        TransferResult dry = copy(src, dst, "-a", "-n");
        assertTrue(dry.stats().transferredFiles > 5);
        assertFalse(Files.exists(dst.resolve("small.txt")));
        // --max-size / --min-size
        Path maxDst = tmp.resolve("max");
        copy(src, maxDst, "-a", "--max-size=6");
        assertFalse(Files.exists(maxDst.resolve("small.txt")));
        assertTrue(Files.exists(maxDst.resolve("deep/a/b/c/leaf.txt")));
        Path minDst = tmp.resolve("min");
        copy(src, minDst, "-a", "--min-size=1");
        assertFalse(Files.exists(minDst.resolve("empty.txt")));
        assertTrue(Files.exists(minDst.resolve("small.txt")));
        copy(src, dst, "-a");
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact());
        // -u keeps a newer receiver file
        Files.writeString(dst.resolve("small.txt"), "receiver is newer\n");
        Files.setLastModifiedTime(dst.resolve("small.txt"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(3600)));
        copy(src, dst, "-a", "-u");
        assertEquals("receiver is newer\n", Files.readString(dst.resolve("small.txt")));
        // -m leaves out directories without files
        Path pruned = tmp.resolve("pruned");
        copy(src, pruned, "-a", "-m");
        assertFalse(Files.exists(pruned.resolve("empty-dir")));
        assertTrue(Files.exists(pruned.resolve("deep/a/b/c/leaf.txt")));
        // -O leaves directory times alone
        Path omit = tmp.resolve("omit");
        copy(src, omit, "-a", "-O");
        TreeAssert.assertIdentical(src, omit, TreeAssert.Option.IGNORE_DIR_MTIMES);
        // --fuzzy finds a renamed file as the basis
        Path fz = tmp.resolve("fz-src");
        Path fzDst = tmp.resolve("fz-dst");
        Files.createDirectories(fz);
        TestTrees.writeRandom(fz.resolve("report-2024.bin"), 200_000, 9);
        copy(fz, fzDst, "-a");
        Files.move(fz.resolve("report-2024.bin"), fz.resolve("report-2025.bin"));
        TransferResult fuzzy = copy(fz, fzDst, "-a", "--no-W", "-y");
        assertTrue(fuzzy.stats().matchedData >= 190_000, () -> "matched " + fuzzy.stats().matchedData);
        // --partial-dir: a partial file there is used as the basis and removed afterwards
        Path pd = tmp.resolve("pd-src");
        Path pdDst = tmp.resolve("pd-dst");
        Files.createDirectories(pd);
        TestTrees.writeRandom(pd.resolve("big.bin"), 200_000, 11);
        Files.createDirectories(pdDst.resolve(".partial"));
        Files.copy(pd.resolve("big.bin"), pdDst.resolve(".partial/big.bin"));
        TransferResult fromPartial = copy(pd, pdDst, "-a", "--no-W", "--partial-dir=.partial");
        assertTrue(fromPartial.stats().matchedData >= 190_000, () -> "matched " + fromPartial.stats().matchedData);
        assertFalse(Files.exists(pdDst.resolve(".partial")));
        TreeAssert.assertIdentical(pd, pdDst, TreeAssert.exact());
    }

    @Test
    void appendLocallyGrowsTheFileAndNeverShortensIt() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(src);
        Files.createDirectories(dst);
        byte[] full = TestTrees.randomBytes(300_000, 5);
        Files.write(src.resolve("grow.bin"), full);
        Files.write(dst.resolve("grow.bin"), Arrays.copyOf(full, 200_000));
        Files.write(src.resolve("short.bin"), new byte[10]);
        Files.write(dst.resolve("short.bin"), new byte[20]);
        TransferResult r = copy(src, dst, "-a", "--append");
        assertTrue(Arrays.equals(full, Files.readAllBytes(dst.resolve("grow.bin"))));
        assertEquals(20, Files.size(dst.resolve("short.bin")));
        // only the missing tail travels, as rsync's --append sends it (its --stats: 100,000 literal, 0 matched)
        assertEquals(100_000, r.stats().literalData);
        assertEquals(0, r.stats().matchedData);
    }

    /**
     * Yesterday's copy of the varied tree in "old" beside {@code src}, for the basis directory tests; today
     * {@code small.txt} changed in the source.
     */
    private Path yesterday(Path src) throws IOException {
        Path old = src.resolveSibling("old");
        TestTrees.buildVaried(src);
        copy(src, old, "-a");
        Files.writeString(src.resolve(CHANGED), "changed since yesterday\n");
        log.clear();
        return old;
    }

    private String transcript() {
        return log.text();
    }

    @Test
    void linkDestHardLinksWhatIsUnchangedAndSendsOnlyTheChange() throws IOException {
        Path src = tmp.resolve("src");
        Path old = yesterday(src);
        Path today = tmp.resolve("today");
        TransferResult r = copy(src, today, "-a", "--link-dest=../old");
        TreeAssert.assertIdentical(src, today, TreeAssert.exact());
        assertTrue(TreeAssert.sameInode(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)),
                this::transcript);
        assertTrue(TreeAssert.sameInode(old.resolve("deep/a/b/c/leaf.txt"), today.resolve("deep/a/b/c/leaf.txt")));
        assertTrue(TreeAssert.sameInode(old.resolve("link-to-small"), today.resolve("link-to-small")),
                "symlinks are linked too");
        assertFalse(TreeAssert.sameInode(old.resolve(CHANGED), today.resolve(CHANGED)));
        assertEquals(1, r.stats().transferredFiles, this::transcript);
        assertEquals(Files.size(src.resolve(CHANGED)), r.stats().literalData);
        assertEquals(0, r.ioError(), this::transcript);

        // Run again: the links are found in place and nothing changes.
        TransferResult again = copy(src, today, "-a", "--link-dest=../old");
        assertEquals(0, again.stats().transferredFiles, this::transcript);
        assertTrue(TreeAssert.sameInode(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)));
    }

    @Test
    void copyDestCopiesLocallyAndCompareDestLeavesUnchangedFilesOut() throws IOException {
        Path src = tmp.resolve("src");
        Path old = yesterday(src);
        Path copied = tmp.resolve("copied");
        TransferResult c = copy(src, copied, "-a", "--copy-dest=" + old);
        TreeAssert.assertIdentical(src, copied, TreeAssert.exact());
        assertFalse(TreeAssert.sameInode(old.resolve(TestTrees.BIG_FILE), copied.resolve(TestTrees.BIG_FILE)));
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
        Path src = tmp.resolve("src");
        yesterday(src);
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 7, 2);
        Path today = tmp.resolve("today");
        TransferResult r = copy(src, today, "-a", "--no-W", "--copy-dest=../old");
        TreeAssert.assertIdentical(src, today, TreeAssert.exact());
        assertTrue(r.stats().matchedData > TestTrees.BIG_SIZE / 2, () -> r.stats().matchedData + "\n" + transcript());
        assertTrue(r.stats().literalData < 256 * 1024, () -> r.stats().literalData + "\n" + transcript());
    }

    @Test
    void severalDirectoriesAreSearchedInOrderAndAMissingOneIsWarnedAbout() throws IOException {
        Path src = tmp.resolve("src");
        Path old = yesterday(src);
        Path today = tmp.resolve("today");
        copy(src, today, "-a", "--link-dest=../missing", "--link-dest=../old");
        TreeAssert.assertIdentical(src, today, TreeAssert.exact());
        assertTrue(TreeAssert.sameInode(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("--link-dest arg does not exist")), this::transcript);
    }

    @Test
    void aLoneFileIsLookedUpUnderTheNameItIsCopiedTo() throws IOException {
        Path one = Files.writeString(tmp.resolve("one.txt"), "one\n");
        Path yesterdayDir = Files.createDirectories(tmp.resolve("y"));
        Files.copy(one, yesterdayDir.resolve("renamed.txt"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path target = Files.createDirectories(tmp.resolve("t")).resolve("renamed.txt");
        Options o = OptionParser.parse("-a", "--link-dest=../y", one.toString(), target.toString());
        LocalCopy.run(o, List.of(one.toString()), LocalDest.of(target), Filters.from(o), log);
        assertTrue(TreeAssert.sameInode(yesterdayDir.resolve("renamed.txt"), target), this::transcript);
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
        assertEquals(20, OptionParser.parse(argv.subList(0, 21).toArray(String[]::new)).basisDirs().size());
    }
}
