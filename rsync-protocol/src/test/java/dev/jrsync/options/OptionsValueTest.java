package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Options are a value: what one session derives from them never shows through to another holder. */
class OptionsValueTest {
    private static final List<String> ARGV = List.of("-av", "--delete", "--exclude=*.o", "--chmod=D755",
            "--copy-dest=../old", "src/", "dst/");

    @Test
    void aBuilderRoundTripGivesEqualOptions() {
        Options parsed = OptionParser.parse(ARGV);
        assertEquals(parsed, parsed.toBuilder().build());
        assertEquals(parsed, OptionParser.parse(ARGV));
    }

    @Test
    void derivedOptionsLeaveTheOriginalAsParsed() {
        Options parsed = OptionParser.parse(ARGV);
        OptionsBuilder narrowed = parsed.toBuilder();
        narrowed.delete = false;
        narrowed.verbose = 0;
        narrowed.basisDirs.clear();
        narrowed.filters.clear();
        Options derived = narrowed.build();

        assertEquals(OptionParser.parse(ARGV), parsed);
        assertNotEquals(parsed, derived);
        assertEquals(List.of("../old"), parsed.basisDirs());
        assertEquals(1, parsed.verbose());
        assertEquals(1, parsed.filters().size());
        assertEquals(List.of(), derived.basisDirs());
    }

    @Test
    void aBuilderChangedAfterBuildDoesNotReachTheBuiltOptions() {
        OptionsBuilder b = OptionParser.parse(ARGV).toBuilder();
        Options built = b.build();
        b.args.add("more/");
        b.chmod.add("F644");
        assertEquals(List.of("src/", "dst/"), built.args());
        assertEquals(List.of("D755"), built.chmod());
    }

    @Test
    void theListsCannotBeChangedInPlace() {
        Options parsed = OptionParser.parse(ARGV);
        assertThrows(UnsupportedOperationException.class, () -> parsed.args().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> parsed.filters().clear());
        assertThrows(UnsupportedOperationException.class, () -> parsed.basisDirs().add("y"));
    }

    /** rsync/options.c:debug_verbosity and parse_output_words: -v counts imply levels, words override, ALL and NONE. */
    @Test
    void debugLevelsComeFromVerbosityAndWords() {
        assertEquals(0, OptionParser.parse(List.of("-v", "a", "b")).debugLevel("DELTASUM"));
        assertEquals(1, OptionParser.parse(List.of("-vv", "a", "b")).debugLevel("DELTASUM"));
        assertEquals(0, OptionParser.parse(List.of("-vv", "a", "b")).debugLevel("FUZZY"));
        assertEquals(2, OptionParser.parse(List.of("-vvvvv", "a", "b")).debugLevel("FUZZY"));
        assertEquals(0, OptionParser.parse(List.of("-vv", "--debug=deltasum0", "a", "b")).debugLevel("DELTASUM"));
        assertEquals(0, OptionParser.parse(List.of("-vvv", "--debug=none", "a", "b")).debugLevel("FUZZY"));
        Options all = OptionParser.parse(List.of("--debug=all2,nstr0", "a", "b"));
        assertEquals(2, all.debugLevel("FUZZY"));
        assertEquals(0, all.debugLevel("NSTR"));
    }
}
