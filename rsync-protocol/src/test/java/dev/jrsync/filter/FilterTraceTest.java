package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.PrintedLog;
import dev.jrsync.client.Filters;
import dev.jrsync.client.LocalCopy;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code -vv} says about filter rules, beside stock rsync 3.5.0 on the same tree: the rule behind each name the
 * sender hides and the generator protects, with a merge file's text never quoted (any line of it would be a line a
 * peer that chooses the merge file can read back), and the messages for rules left out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilterTraceTest {
    @TempDir
    Path tmp;

    private Path src;
    private Path dst;

    private void tree() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        dst = Files.createDirectories(tmp.resolve("dst"));
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("keep"), "k\n");
        Files.writeString(src.resolve("secret-9x"), "hidden\n");
        Files.writeString(src.resolve("sub/a.o"), "obj\n");
        Files.writeString(src.resolve("sub/.rsync-filter"), "- sec[r]et-9x\n");
        Files.writeString(src.resolve(".rsync-filter"), "- sec[r]et-9x\n:e excl-[s]elf\n");
        Files.writeString(src.resolve("excl-self"), "x\n");
        Files.writeString(dst.resolve("old.o"), "kept by the generator\n");
    }

    private List<String> jrsync(String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(src + "/");
        argv.add(dst + "/");
        Options o = OptionParser.parse(argv);
        RecordingLog log = new RecordingLog();
        LocalCopy.run(o, List.of(src + "/"), LocalDest.of(dst), Filters.from(o, log), PrintedLog.of(log, o));
        return log.lines();
    }

    private List<String> stock(String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(src + "/");
        argv.add(dst + "/");
        ProcessResult r = StockClient.of(StockRsync.requireOnPath()).run(argv).assertSuccess();
        return Stream.concat(r.stdout().lines(), r.stderr().lines()).toList();
    }

    private static List<String> traces(List<String> lines) {
        // a recorded error line starts "ERR ": where a line went is not what these compare
        return lines.stream().map(l -> l.startsWith("ERR ") ? l.substring(4) : l).filter(l -> l.contains(" because of pattern ") || l.contains("CAUTION")
                || l.contains("over-long") || l.contains("overflows")).sorted().toList();
    }

    @Test
    void theRulesBehindEachDecisionAreNamedAsStockNamesThem() throws IOException {
        StockRsync stock = StockRsync.requireOnPath();
        tree();
        String[] opts = {"-r", "-F", "-vv", "--delete", "--exclude=*.o"};
        List<String> ours = traces(jrsync(opts));
        // the first run moved files; both runs start from the same destination
        Files.walk(dst).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dst)).forEach(p -> p.toFile().delete());
        Files.writeString(dst.resolve("old.o"), "kept by the generator\n");
        List<String> theirs = traces(stock(opts));
        assertTrue(theirs.stream().anyMatch(l -> l.startsWith("[sender] hiding file secret-9x because of pattern <rule")),
                stock + " hides the file by a rule it does not quote: " + theirs);
        assertEquals(theirs, ours);
        assertFalse(String.join("\n", ours).contains("[r]"), "a merge file's text was quoted: " + ours);
    }

    @Test
    void aTrailingSpaceInTheCommandLinesOwnRuleIsCautionedAndAFilesIsNot() throws IOException {
        tree();
        Files.writeString(src.resolve(".rsync-filter"), "- in-a-file \n");
        String[] opts = {"-r", "-F", "--debug=FILTER1", "--filter=- my-own-rule "};
        assertEquals(traces(stock(opts)), traces(jrsync(opts)));
        assertEquals(List.of("[client] add_rule(- my-own-rule ) -- CAUTION: trailing whitespace!"), traces(jrsync(opts)));
    }

    @Test
    void anOverLongRuleIsDiscardedAndSaidSoInFull() throws IOException {
        tree();
        String rule = "--filter=- LONG-" + "Q".repeat(4200);
        List<String> ours = traces(jrsync("-r", rule));
        assertEquals(List.of("discarding over-long filter: LONG-" + "Q".repeat(4200)), ours);
        assertEquals(traces(stock("-r", rule)), ours);
    }
}
