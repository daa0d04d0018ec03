package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.FilterArg.Kind;
import dev.jrsync.options.FilterArg;
import dev.jrsync.options.OptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule syntax as rsync's parse_rule_tok reads it, shown back in rsync's short form. */
class RuleParserTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            - foo               | - foo
            + foo               | + foo
            exclude foo         | - foo
            include foo         | + foo
            exclude,/ foo       | -/ foo
            include_foo         | + foo
            -_foo               | - foo
            -,! foo/            | -! foo/
            hide *.tmp          | -s *.tmp
            show /s             | +s /s
            protect /p          | -r /p
            risk /r             | +r /r
            P /p                | -r /p
            R /r                | +r /r
            H h                 | -s h
            S s                 | +s s
            -s sender           | -s sender
            +r receiver         | +r receiver
            -p perishable       | -p perishable
            -x user.*           | -x user.*
            dir-merge .pf       | : .pf
            :n .pf              | :n .pf
            dir-merge,-n .pf    | :n- .pf
            :+ .pf              | :+ .pf
            :w .pf              | :w .pf
            - a b               | - a b
            - trailing          | - trailing
            """)
    void parsesRuleForms(String rule, String shown) {
        assertEquals(List.of(shown), shown(new FilterArg(Kind.FILTER, rule)));
    }

    @Test
    void excludeSelfAddsAnExcludeOfTheMergeFileBeforeIt() {
        assertEquals(List.of("- .pf", ": sub/.pf"), shown(new FilterArg(Kind.FILTER, ":e sub/.pf")));
    }

    @Test
    void includeAndExcludeOptionsTakeOnlyOldStylePrefixes() {
        assertEquals(List.of("- *.o", "+ keep", "- x", "+ y", "- + z", "- -/ w", "- !a"),
                shown(new FilterArg(Kind.EXCLUDE, "*.o"), new FilterArg(Kind.INCLUDE, "keep"),
                        new FilterArg(Kind.INCLUDE, "- x"), new FilterArg(Kind.EXCLUDE, "+ y"),
                        new FilterArg(Kind.EXCLUDE, "- + z"), new FilterArg(Kind.EXCLUDE, "-/ w"),
                        new FilterArg(Kind.EXCLUDE, "!a")));
        assertEquals(List.of("- after"), shown(new FilterArg(Kind.EXCLUDE, "before"),
                new FilterArg(Kind.EXCLUDE, "!"), new FilterArg(Kind.EXCLUDE, "after")));
        assertEquals(List.of(), shown(new FilterArg(Kind.EXCLUDE, "")));
    }

    @Test
    void clearRuleDropsEverythingBefore() {
        assertEquals(List.of("+ b"), shown(new FilterArg(Kind.FILTER, "- a"), new FilterArg(Kind.FILTER, "!"),
                new FilterArg(Kind.FILTER, "+ b")));
        assertEquals(List.of(), shown(new FilterArg(Kind.FILTER, "- a"), new FilterArg(Kind.FILTER, "clear")));
    }

    @Test
    void secondDirMergeOfTheSameFileIsIgnored() {
        assertEquals(List.of(": /.rsync-filter", "- .rsync-filter"),
                shown(new FilterArg(Kind.F, ": /.rsync-filter"), new FilterArg(Kind.F, "- .rsync-filter"),
                        new FilterArg(Kind.FILTER, "dir-merge .rsync-filter")));
    }

    @Test
    void deleteExcludedMakesPlainRulesSenderOnly() {
        List<FilterRule> rules = FilterRules.fromArgs(List.of(new FilterArg(Kind.EXCLUDE, "*.o"),
                new FilterArg(Kind.FILTER, "P /p"), new FilterArg(Kind.FILTER, ": .pf")), true).rules();
        assertEquals(List.of("-s *.o", "-r /p", ": .pf"), rules.stream().map(FilterRule::toString).toList());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            foo bar     | Unknown filter rule: foo bar
            excludes x  | Unknown filter rule: excludes x
            -           | unexpected end of filter rule: -
            '- '        | 'unexpected end of filter rule: - '
            -x          | unexpected end of filter rule: -x
            ! x         | '''!'' rule has trailing characters: ! x'
            -q foo      | invalid modifier 'q' at position 1 in filter rule: -q foo
            Ps foo      | invalid modifier 's' at position 1 in filter rule: Ps foo
            -e foo      | invalid modifier 'e' at position 1 in filter rule: -e foo
            :! .pf      | invalid modifier '!' at position 1 in filter rule: :! .pf
            :+- .pf     | invalid modifier '-' at position 2 in filter rule: :+- .pf
            """)
    void refusesMalformedRulesLikeRsync(String rule, String message) {
        OptionException e = assertThrows(OptionException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, rule)), false));
        assertEquals(message, e.getMessage());
        assertEquals(ExitCode.SYNTAX, e.exitCode());
    }

    /** rsync/exclude.c:parse_rule_tok's 'C': ":C" merges .cvsignore files, "-C" is the CVS list; not with a side. */
    @Test
    void cvsRules() {
        assertEquals(List.of(":C .cvsignore", "-C "), shown(new FilterArg(Kind.FILTER, ":C"),
                new FilterArg(Kind.FILTER, "-C")));
        for (String bad : List.of("PC x", ":-C", "SC")) {
            OptionException e = assertThrows(OptionException.class,
                    () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, bad)), false), bad);
            assertEquals(ExitCode.SYNTAX, e.exitCode());
        }
    }

    @Test
    void readsRuleFilesSkippingCommentsAndBlankLines(@TempDir Path dir) throws IOException {
        Path from = dir.resolve("ex.txt");
        Files.writeString(from, "# comment\n; comment\n\n*.o\r\n+ keep\r- x\n!\n/last/\n");
        assertEquals(List.of("- /last/"), shown(new FilterArg(Kind.EXCLUDE_FROM, from.toString())));
        Files.writeString(from, "# comment\n*.c\n- y\n");
        assertEquals(List.of("+ *.c", "- y"), shown(new FilterArg(Kind.INCLUDE_FROM, from.toString())));
        Path merge = dir.resolve("rules");
        Files.writeString(merge, "- a\n+ b/\nP c\n: .pf\n");
        assertEquals(List.of("- z", "- a", "+ b/", "-r c", ": .pf", "- y"),
                shown(new FilterArg(Kind.FILTER, "- z"), new FilterArg(Kind.FILTER, "merge " + merge),
                        new FilterArg(Kind.FILTER, "- y")));
        Files.writeString(merge, "a b\tc\n");
        assertEquals(List.of("+ a", "+ b", "+ c"), shown(new FilterArg(Kind.FILTER, ".w+ " + merge)));
    }

    @Test
    void reportsBadRulesInFilesByLocation(@TempDir Path dir) throws IOException {
        Path merge = dir.resolve("rules");
        Files.writeString(merge, "- ok\nsecret line\n");
        OptionException e = assertThrows(OptionException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, ". " + merge)), false));
        assertEquals("Unknown filter rule: <rule from " + merge + " line 2>", e.getMessage());
    }

    /**
     * A rules file that another file names is shown by where it was named, never by the name its text gave, nor
     * by a name further in (rsync 3.5's rule_src_where): the text of a file may be what a peer chose to read.
     */
    @Test
    void filesNamedInFilesAreShownByWhereTheyWereNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("outer"), "- ok\n. " + dir.resolve("inner-secret") + "\n");
        Files.writeString(dir.resolve("inner-secret"), "TOP-SECRET\n");
        OptionException bad = assertThrows(OptionException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, ". " + dir.resolve("outer"))), false));
        assertEquals("Unknown filter rule: <rule from a file named at " + dir.resolve("outer") + " line 2>",
                bad.getMessage());
        Files.writeString(dir.resolve("inner-secret"), ". NO-SUCH-SECRET\n");
        RsyncException missing = assertThrows(RsyncException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, ". " + dir.resolve("outer"))), false));
        assertEquals("failed to open exclude file <rule from a file named at " + dir.resolve("outer") + " line 2>",
                missing.getMessage());
        assertEquals(ExitCode.FILE_IO, missing.exitCode());
    }

    @Test
    void unreadableRuleFilesEndTheRunWithFileIoError(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        RsyncException e = assertThrows(RsyncException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.EXCLUDE_FROM, missing.toString())), false));
        assertEquals(ExitCode.FILE_IO, e.exitCode());
        assertEquals("failed to open exclude file " + missing + ": No such file or directory (2)", e.getMessage());
        RsyncException m = assertThrows(RsyncException.class,
                () -> FilterRules.fromArgs(List.of(new FilterArg(Kind.FILTER, "merge " + missing)), false));
        assertEquals(ExitCode.FILE_IO, m.exitCode());
    }

    private static List<String> shown(FilterArg... args) {
        return FilterRules.fromArgs(List.of(args), false).rules().stream().map(FilterRule::toString).toList();
    }
}
