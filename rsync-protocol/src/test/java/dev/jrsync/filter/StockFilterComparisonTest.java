package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.Filters;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.StockRsync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our scan with our filters against stock rsync's own: the names {@code rsync -r --list-only OPTIONS SRC}
 * lists must be exactly the names our source scan keeps; and the names {@code rsync -r -n -i --delete}
 * would delete must be exactly those our receiver-side view leaves unprotected.
 */
class StockFilterComparisonTest {
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    static Path dir;
    private static Path src;
    private static Path rulesFile;
    private static Path excludeFrom;

    @BeforeAll
    static void buildTree() throws IOException {
        src = dir.resolve("src");
        for (String f : List.of("a.c", "a.o", "b.txt", "c.tmp", "x", "[x].txt", "keep/k.c", "keep/k.o",
                "keep/sub/s.o", "other/o.c", "other/o.h", "other/deep/d.o", "other/deep/x.c", "other/deep/e.c",
                "sub/x", "sub/y", "sub/deep/x", "sub/deep/z.o", "dir/a/b", "a/b/c/z", "x2/a/q/z", "prot",
                "nested/n1", "nested/n2", "nested/inner/n1", "nested/inner/n2", "nested/inner/n3",
                "nested/inner/most/n1", "nested/inner/most/n3", "empty/.keepme")) {
            write(src.resolve(f), f + "\n");
        }
        write(src.resolve(".rsync-filter"), "- *.tmp\n+ /keep/\n- /other/deep/x.c\n# comment\n");
        write(src.resolve("other/.rsync-filter"), "- o.h\n: .more\n");
        write(src.resolve("other/deep/.more"), "- d.o\n");
        write(src.resolve("sub/.rsync-filter"), "- /x\n- z.o\n");
        write(src.resolve("sub/deep/.rsync-filter"), "!\n+ z.o\n");
        write(src.resolve("nested/.pf"), "- n1\n");
        write(src.resolve("nested/inner/.pf"), "- n2\n-! */\n");
        write(src.resolve("nested/inner/most/.pf"), "+ n3\n");
        rulesFile = dir.resolve("rules.txt");
        write(rulesFile, "- *.o\n+ keep/***\n- /other/\n");
        excludeFrom = dir.resolve("exclude-from.txt");
        write(excludeFrom, "# patterns\n; more\n\n*.o\r\n+ /other/deep/\n/other/*\n- /sub/y\n");
    }

    static Stream<Arguments> listings() {
        String realSrc = realSrc();
        List<List<String>> cases = List.of(
                List.of(),
                List.of("--exclude=*.o"),
                List.of("--exclude=*.o", "--include=/keep/", "--exclude=/*/"),
                List.of("-f+ */", "-f+ *.c", "-f- *"),
                List.of("--include=*/", "--include=*.c", "--exclude=*"),
                List.of("-F"),
                List.of("-FF"),
                List.of("--exclude=other/***"),
                List.of("--exclude=/other/**", "--exclude=keep/*"),
                List.of("-f-! */"),
                List.of("--exclude-from=" + excludeFrom),
                List.of("--include-from=" + excludeFrom, "--exclude=*"),
                List.of("-f: .pf"),
                List.of("-f:n .pf"),
                List.of("-f:e .pf", "-f: .rsync-filter"),
                List.of("-fdir-merge,- .pf"),
                List.of("--exclude=**/deep/*.o", "--exclude=a/**/z", "--exclude=[ab].*"),
                List.of("--exclude=[[]x].txt", "--exclude=?", "--exclude=sub/*"),
                List.of("-fH *.txt", "-fP a.c", "-fS keep/k.o", "-f- keep/*"),
                List.of("--delete-excluded", "--exclude=*.o", "-fP prot"),
                List.of("-fmerge " + rulesFile),
                List.of("-f-/ " + realSrc + "/a.c", "-f-/ " + realSrc + "/keep/*.o"),
                List.of("-f- /x", "-f+ x", "-f- x*"),
                List.of("-fexclude,! */", "-finclude *.c"),
                List.of("-fhide,p *.o", "-fshow keep/"));
        List<Arguments> args = new ArrayList<>();
        for (List<String> c : cases) {
            args.add(Arguments.of(c, "src/"));
            args.add(Arguments.of(c, "src"));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("listings")
    void scanKeepsWhatStockRsyncLists(List<String> filterArgs, String source) throws Exception {
        StockRsync rsync = stock();
        List<String> cmd = new ArrayList<>(List.of(rsync.binary().toString(), "-r", "--list-only"));
        cmd.addAll(filterArgs);
        cmd.add(source);
        TreeSet<String> theirs = new TreeSet<>();
        for (String line : run(cmd).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\s+", 5);
            theirs.add(f[4] + (f[0].startsWith("d") && !f[4].equals(".") ? "/" : ""));
        }
        assertEquals(theirs, ourScan(filterArgs, source), () -> "filters " + filterArgs);
    }

    static Stream<Arguments> deletions() {
        return Stream.of(
                List.of("--exclude=*.o"),
                List.of("--delete-excluded", "--exclude=*.o"),
                List.of("--delete-excluded", "--exclude=*.o", "-fP /keep/old.o", "-fprotect gone/"),
                List.of("-fR *.o", "-fP *"),
                List.of("-fH *.o"),
                List.of("-fS *.o", "-f- *.o"),
                List.of("-F"),
                List.of("-F", "--delete-excluded"),
                List.of("-f: .pf"),
                List.of("-f-p *.o", "-fP gone/")).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deletions")
    void deleteProtectsWhatStockRsyncKeeps(List<String> filterArgs) throws Exception {
        StockRsync rsync = stock();
        Path dst = dir.resolve("dst-" + Integer.toHexString(filterArgs.hashCode()));
        for (String f : List.of("a.c", "x.o", "extra.c", "prot", "keep/k.c", "keep/old.o", "keep/new",
                "gone/g.c", "gone/g.o", "gone/deeper/h", "nested/inner/n2", "nested/inner/q.o", "sub/x",
                "sub/zz.o")) {
            write(dst.resolve(f), "old\n");
        }
        write(dst.resolve(".rsync-filter"), "- extra.c\n");
        write(dst.resolve("nested/.pf"), "- q.o\n");
        List<String> cmd = new ArrayList<>(List.of(rsync.binary().toString(), "-r", "-n", "-i", "--delete"));
        cmd.addAll(filterArgs);
        cmd.add("src/");
        cmd.add(dst + "/");
        TreeSet<String> theirs = new TreeSet<>();
        for (String line : run(cmd).split("\n")) {
            if (line.startsWith("*deleting")) {
                theirs.add(line.substring("*deleting".length()).strip());
            }
        }
        TreeSet<String> sent = ourScan(filterArgs, "src/");
        Options options = options(filterArgs, "src/");
        TreeSet<String> ours = new TreeSet<>();
        deletions(dst, "", Filters.from(options).forDelete().enter(dst, b("")), sent, ours);
        assertTrue(!theirs.isEmpty(), "the fixture should make stock rsync delete something");
        assertEquals(theirs, ours, () -> "filters " + filterArgs);
    }

    /**
     * What the receiver would delete in {@code rel}, a directory both sides have
     * (rsync/generator.c:delete_in_dir): names the sender did not send, unless the receiver's rules
     * exclude (protect) them. Directories the sender did send are visited whatever the rules say of them.
     */
    private static void deletions(Path dst, String rel, ScanFilter filter, TreeSet<String> sent, TreeSet<String> out)
            throws IOException {
        for (Path child : children(rel.isEmpty() ? dst : dst.resolve(rel))) {
            String name = (rel.isEmpty() ? "" : rel + "/") + child.getFileName();
            boolean isDir = Files.isDirectory(child);
            if (sent.contains(name + (isDir ? "/" : ""))) {
                if (isDir) {
                    deletions(dst, name, filter.enter(child, b(name)), sent, out);
                }
            } else if (!filter.excluded(b(name), isDir)) {
                if (isDir) {
                    deleteTree(child, name, ((FilterView) filter).withoutPerishable(), out);
                } else {
                    out.add(name);
                }
            }
        }
    }

    /**
     * rsync/delete.c:delete_dir_contents: a doomed directory loses what its rules (perishable ones
     * ignored) leave unprotected, and goes itself only if nothing protected remains. True if it went.
     */
    private static boolean deleteTree(Path dir, String name, FilterView view, TreeSet<String> out)
            throws IOException {
        FilterView inside = view.enter(dir, b(name));
        boolean emptied = true;
        for (Path child : children(dir)) {
            String childName = name + "/" + child.getFileName();
            boolean isDir = Files.isDirectory(child);
            if (inside.excluded(b(childName), isDir)) {
                emptied = false;
            } else if (isDir) {
                emptied &= deleteTree(child, childName, inside, out);
            } else {
                out.add(childName);
            }
        }
        if (emptied) {
            out.add(name + "/");
        }
        return emptied;
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static TreeSet<String> ourScan(List<String> filterArgs, String source) throws IOException {
        Options options = options(filterArgs, source);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        SourceScanner scanner = new SourceScanner(new ScanOptions(true, true, false, false, false, 0, null),
                SessionLog.of(ps, ps));
        scanner.addSource(dir.resolve(source).toString() + (source.endsWith("/") ? "/" : ""),
                Filters.from(options).forScan());
        TreeSet<String> names = new TreeSet<>();
        for (FileEntry e : scanner.entries()) {
            String n = new String(e.name(), StandardCharsets.UTF_8);
            names.add(n + (e.isDirectory() && !n.equals(".") ? "/" : ""));
        }
        return names;
    }

    private static Options options(List<String> filterArgs, String source) {
        List<String> argv = new ArrayList<>(List.of("-r"));
        argv.addAll(filterArgs);
        argv.add(dir.resolve(source).toString());
        argv.add(dir.resolve("unused").toString());
        return OptionParser.parse(argv);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stock", ".out");
        Path err = Files.createTempFile(dir, "stock", ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("stock rsync did not finish within " + TIMEOUT_SECONDS + "s: " + cmd);
        }
        String stdout = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new AssertionError("stock rsync failed (" + p.exitValue() + "): " + cmd + "\n" + stdout
                    + Files.readString(err));
        }
        return stdout;
    }

    private static StockRsync stock() {
        Optional<StockRsync> rsync = StockRsync.onPath();
        Peers.require(rsync.isPresent(), StockRsync::onPathAbsence);
        return rsync.orElseThrow();
    }

    private static String realSrc() {
        try {
            return src.toRealPath().toString();
        } catch (IOException e) {
            return src.toString();
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** A name's bytes, as the filters take them. */
    private static byte[] b(String name) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
