package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.options.FilterArg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which paths one rule matches, and which rule of a list decides (man page: FILTER RULES, INCLUDE/EXCLUDE
 * PATTERN RULES). Paths are relative to the transfer root.
 */
class FilterRuleMatchTest {

    @ParameterizedTest(name = "''{0}'' vs {1} (dir {2}) -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            - *.o          | foo.o        | false | true
            - *.o          | a/b/foo.o    | false | true
            - *.o          | foo.oo       | false | false
            - foo          | foo          | false | true
            - foo          | a/foo        | true  | true
            - foo          | a/foox       | false | false
            - foo          | foo/bar      | false | false
            - /foo         | foo          | false | true
            - /foo         | a/foo        | false | false
            - foo/         | foo          | true  | true
            - foo/         | foo          | false | false
            - foo/         | a/foo        | true  | true
            - foo/bar      | foo/bar      | false | true
            - foo/bar      | x/foo/bar    | false | true
            - foo/bar      | xfoo/bar     | false | false
            - /foo/bar     | x/foo/bar    | false | false
            - foo/*        | foo/a        | false | true
            - foo/*        | x/foo/a      | false | true
            - foo/*        | foo/a/b      | false | false
            - foo/**       | foo/a/b      | false | true
            - foo/**       | x/foo/a/b    | false | true
            - /foo/**      | x/foo/a/b    | false | false
            - **/foo       | foo          | false | true
            - **/foo       | a/b/foo      | false | true
            - a/**/z       | a/b/c/z      | false | true
            - a/**/z       | x/a/b/z      | false | true
            - /a/**/z      | x/a/b/z      | false | false
            - dir/***      | dir          | true  | true
            - dir/***      | dir/a        | false | true
            - dir/***      | dir/a/b      | true  | true
            - dir/***      | dir          | false | false
            - dir/***      | x/dir/a      | false | true
            - /dir/***     | x/dir/a      | false | false
            - [ab]*        | b.txt        | false | true
            - [ab]*        | c.txt        | false | false
            - ?.c          | x.c          | false | true
            - ?.c          | xy.c         | false | false
            - *            | a/b/c        | false | true
            - /*           | a/b          | false | false
            - /*           | a            | true  | true
            -! */          | a/f          | false | true
            -! */          | a/d          | true  | false
            -! *.c         | x.c          | false | false
            -! *.c         | x.h          | false | true
            - sub/*.c      | top/sub/x.c  | false | true
            - sub/*.c      | sub/x.c      | false | true
            - sub/*.c      | sub/y/x.c    | false | false
            - b\\*         | b*           | false | true
            - b\\*         | bx           | false | false
            """)
    void matchesLikeRsync(String rule, String path, boolean isDir, boolean expected) {
        FilterRule r = parse(rule).getFirst();
        assertEquals(expected, r.matches(path.getBytes(StandardCharsets.UTF_8), isDir, null));
    }

    @ParameterizedTest(name = "{0} on {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            + keep/ ;- *           | keep        | true  | included
            + keep/ ;- *           | keep        | false | excluded
            + *.c ;- *.c           | a.c         | false | included
            - *.c ;+ *.c           | a.c         | false | excluded
            + /a/ ;+ /a/b/ ;- *    | a/b         | true  | included
            + /a/ ;+ /a/b/ ;- *    | a/c         | true  | excluded
            - *.tmp                | a.c         | false | none
            """)
    void firstMatchingRuleDecides(String rules, String path, boolean isDir, String expected) {
        List<FilterArg> args = new ArrayList<>();
        for (String r : rules.split(";")) {
            args.add(new FilterArg(FilterArg.Kind.FILTER, r.strip()));
        }
        String got = "none";
        for (FilterRule r : FilterRules.fromArgs(args, false).rules()) {
            if (r.matches(path.getBytes(StandardCharsets.UTF_8), isDir, null)) {
                got = r.has(FilterRule.INCLUDE) ? "included" : "excluded";
                break;
            }
        }
        assertEquals(expected, got);
    }

    @ParameterizedTest(name = "''{0}'' with root {2}: {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            -/ /home/u/src/*.o   | a.o    | home/u/src | true
            -/ /home/u/src/*.o   | a.o    | home/u     | false
            -/ /home/u/src/*.o   | x/a.o  | home/u     | false
            -/ /home/*/src/x     | x      | home/u/src | true
            -/ home/u/src/x      | x      | home/u/src | true
            """)
    void absolutePathModifierMatchesBelowTheBase(String rule, String path, String root, boolean expected) {
        FilterRule r = parse(rule).getFirst();
        assertEquals(expected, r.matches(path.getBytes(StandardCharsets.UTF_8), false,
                root.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<FilterRule> parse(String rule) {
        return FilterRules.fromArgs(List.of(new FilterArg(FilterArg.Kind.FILTER, rule)), false).rules();
    }
}
