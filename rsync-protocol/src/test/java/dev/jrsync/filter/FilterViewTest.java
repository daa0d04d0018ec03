package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.FilterArg.Kind;
import dev.jrsync.options.FilterArg;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-directory merge files, sides and the absolute base, as a daemon's views would see them. */
class FilterViewTest {
    @TempDir
    Path tmp;

    @Test
    void daemonSenderReadsMergeFilesFromTheModuleRootDownButNeverAbove() throws IOException {
        Path module = tmp.resolve("mod");
        write(tmp.resolve(".rsync-filter"), "- a\n");                       // above the module: ignored
        write(module.resolve(".rsync-filter"), "- /sub/hidden\n- b\n");    // anchored to the module root
        write(module.resolve("sub/.rsync-filter"), "- c\n");
        write(module.resolve("sub/deeper/.rsync-filter"), "- /d\n");        // anchored to sub/deeper
        FilterView root = received(List.of(": /.rsync-filter"), false).view(FilterSide.SENDER, module);
        Path sub = module.resolve("sub");
        FilterView inSub = root.enter(sub, b(""));                             // a pull of "mod/sub/"
        assertFalse(inSub.excluded(b("a"), false));
        assertTrue(inSub.excluded(b("hidden"), false));
        assertTrue(inSub.excluded(b("b"), false));
        assertTrue(inSub.excluded(b("c"), false));
        assertFalse(inSub.excluded(b("d"), false));
        FilterView deeper = inSub.enter(sub.resolve("deeper"), b("deeper"));
        assertTrue(deeper.excluded(b("deeper/d"), false));
        assertFalse(deeper.excluded(b("deeper/x/d"), false));
        assertTrue(deeper.excluded(b("deeper/x/c"), false));                  // inherited from sub
        assertFalse(inSub.excluded(b("deeper/d"), false));                    // the parent view is unchanged
    }

    @Test
    void mergeFilesNamedInsideTheTreeStayInsideTheBase() throws IOException {
        Path module = tmp.resolve("mod");
        write(module.resolve("etc/list"), "- listed\n");
        write(module.resolve("sub/.pf"), ". /etc/list\n");
        FilterView view = received(List.of(": .pf"), false).view(FilterSide.SENDER, module);
        assertTrue(view.enter(module.resolve("sub"), b("")).excluded(b("listed"), false));
        write(module.resolve("sub/.pf"), ". ../../outside\n");
        write(tmp.resolve("outside"), "- x\n");
        RsyncException e = assertThrows(RsyncException.class, () -> view.enter(module.resolve("sub"), b("")));
        assertEquals(ExitCode.FILE_IO, e.exitCode());
    }

    @Test
    void daemonDoesNotFollowASymlinkedMergeFile() throws IOException {
        Path module = tmp.resolve("mod");
        write(tmp.resolve("outside"), "- x\n");
        Files.createDirectories(module);
        Files.createSymbolicLink(module.resolve(".pf"), tmp.resolve("outside"));
        FilterView daemon = received(List.of(": .pf"), false).view(FilterSide.SENDER, module);
        assertFalse(daemon.enter(module, b("")).excluded(b("x"), false));
        FilterView client = FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, ": .pf")), false)
                .view(FilterSide.SENDER, Path.of("/"));
        assertTrue(client.enter(module, b("")).excluded(b("x"), false));
    }

    @Test
    void daemonDoesNotReadAMergeFileThroughASymlinkedDirectory() throws IOException {
        Path module = tmp.resolve("mod");
        write(tmp.resolve("outside/list"), "- listed\n");
        write(module.resolve("etc/list"), "- listed\n");
        Files.createSymbolicLink(module.resolve("link"), tmp.resolve("outside"));
        write(module.resolve("sub/.pf"), ". /etc/list\n");
        FilterView view = received(List.of(": .pf"), false).view(FilterSide.SENDER, module);
        assertTrue(view.enter(module.resolve("sub"), b("")).excluded(b("listed"), false));
        write(module.resolve("sub/.pf"), ". /link/list\n"); // inside the module by name, outside by the link
        RsyncException e = assertThrows(RsyncException.class, () -> view.enter(module.resolve("sub"), b("")));
        assertEquals(ExitCode.FILE_IO, e.exitCode());
        // named by a file's text, so shown by where it was named (rsync 3.5's rule_src_where)
        assertEquals("failed to open exclude file <rule from a file named at .pf line 1>", e.getMessage());
    }

    @Test
    void eachSideKeepsOnlyItsOwnPerDirectoryRules() throws IOException {
        write(tmp.resolve(".pf"), "H hidden\nP protected\n- excluded\n-r risky\n");
        List<FilterArg> args = List.of(new FilterArg(Kind.FILTER, ": .pf"));
        FilterView receiver = view(args, false, FilterSide.RECEIVER);
        assertFalse(receiver.excluded(b("hidden"), false));
        assertTrue(receiver.excluded(b("protected"), false));
        assertTrue(receiver.excluded(b("excluded"), false));
        assertTrue(receiver.excluded(b("risky"), false));
        FilterView sender = view(args, false, FilterSide.SENDER);
        assertTrue(sender.excluded(b("hidden"), false));
        assertFalse(sender.excluded(b("protected"), false));
        assertTrue(sender.excluded(b("excluded"), false));
        assertFalse(sender.excluded(b("risky"), false));
        // --delete-excluded: plain rules steer only the sender, so the receiver may delete what they exclude
        FilterView deleting = view(args, true, FilterSide.RECEIVER);
        assertTrue(deleting.excluded(b("protected"), false));
        assertFalse(deleting.excluded(b("excluded"), false));
        assertTrue(view(args, true, FilterSide.SENDER).excluded(b("excluded"), false));
    }

    private FilterView view(List<FilterArg> args, boolean deleteExcluded, FilterSide side) {
        return FilterRules.fromArgs(args, deleteExcluded).view(side, Path.of("/")).enter(tmp, b(""));
    }

    @Test
    void noInheritAndClearCutOffParentRules() throws IOException {
        write(tmp.resolve(".n"), "- one\n");
        write(tmp.resolve("d/.n"), "- two\n");
        write(tmp.resolve(".c"), "- three\n");
        write(tmp.resolve("d/.c"), "!\n- four\n");
        FilterView top = FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, ":n .n"),
                new FilterArg(Kind.FILTER, ": .c")), false).view(FilterSide.SENDER, Path.of("/")).enter(tmp, b(""));
        assertTrue(top.excluded(b("d/one"), false));
        assertTrue(top.excluded(b("d/three"), false));
        FilterView d = top.enter(tmp.resolve("d"), b("d"));
        assertFalse(d.excluded(b("d/one"), false));
        assertTrue(d.excluded(b("d/two"), false));
        assertFalse(d.excluded(b("d/three"), false));
        assertTrue(d.excluded(b("d/four"), false));
    }

    @Test
    void perishableRulesCanBeSetAside() {
        FilterView v = FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, "-p *.o")), false)
                .view(FilterSide.RECEIVER, Path.of("/"));
        assertTrue(v.excluded(b("a.o"), false));
        assertFalse(v.withoutPerishable().excluded(b("a.o"), false));
    }

    @Test
    void receivedRulesProtectOnTheDaemonReceiver() {
        FilterView v = received(List.of("-r /prot", "- *.o"), false).view(FilterSide.RECEIVER, tmp);
        assertTrue(v.excluded(b("prot"), false));
        assertTrue(v.excluded(b("x/a.o"), false));
        assertFalse(v.excluded(b("x/prot"), false));
    }

    private static FilterRules received(List<String> rules, boolean deleteExcluded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String r : rules) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(new byte[] {(byte) b.length, 0, 0, 0});
            out.writeBytes(b);
        }
        out.writeBytes(new byte[4]);
        return FilterRules.receive(new ProtocolInput(new ByteArrayInputStream(out.toByteArray()), 32), 32,
                deleteExcluded);
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
