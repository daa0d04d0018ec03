package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefuseOptionsTest {
    private static final List<String> PUSH = List.of("--server", "-vlogDtpre.LsfxCIvu", "--delete", "--checksum-seed=5", ".", "mod/");

    @Test
    void namesLettersWildcardsAndReallowing() {
        assertNull(RefuseOptions.firstRefused(PUSH, List.of()));
        assertEquals("--delete", RefuseOptions.firstRefused(PUSH, List.of("delete")));
        assertEquals("--delete", RefuseOptions.firstRefused(PUSH, List.of("del*")));
        assertEquals("--times", RefuseOptions.firstRefused(PUSH, List.of("t")));
        assertEquals("--links", RefuseOptions.firstRefused(PUSH, List.of("links")));
        assertNull(RefuseOptions.firstRefused(PUSH, List.of("*", "!*")));
        assertNull(RefuseOptions.firstRefused(List.of("--server", "--sender", "-e.LsfxCIvu", ".", "m/"), List.of("*")),
                "wildcards do not refuse the options the session needs");
        assertNull(RefuseOptions.firstRefused(List.of("--server", "--delay-updates", ".", "m/"), List.of("delete")));
    }

    /** rsync's suite, daemon-refuse-delete-alias: a rule names what an option does, whichever spelling is sent. */
    @Test
    void aRuleRefusesEverySpellingOfItsOption() {
        assertEquals("--del", RefuseOptions.firstRefused(List.of("--server", "--del", ".", "m/"), List.of("delete-during")));
        assertEquals("--delete-during", RefuseOptions.firstRefused(List.of("--server", "--delete-during", ".", "m/"),
                List.of("del")));
        assertEquals("--remove-sent-files", RefuseOptions.firstRefused(
                List.of("--server", "--remove-sent-files", ".", "m/"), List.of("remove-source-files")));
        assertNull(RefuseOptions.firstRefused(List.of("--server", "--delete-after", ".", "m/"), List.of("delete-during")));
        // rsync's suite, daemon-refuse-compress-threads-alias
        assertEquals("--zt", RefuseOptions.firstRefused(List.of("--server", "--sender", "-e.LsfxCIu", "--compress",
                "--zt=256", ".", "m/f"), List.of("compress-threads")));
        assertEquals("--compress-threads", RefuseOptions.firstRefused(List.of("--server", "--compress-threads", "2",
                ".", "m/f"), List.of("zt")));
    }

    /** A client cannot send --insecure-links, whatever the module's own patterns say ("!" cannot re-allow it). */
    @Test
    void insecureLinksIsNeverTakenFromAClient() {
        List<String> args = List.of("--server", "-vlogDtpre.LsfxCIvu", "--insecure-links", ".", "mod/");
        assertEquals("--insecure-links", RefuseOptions.firstRefused(args, List.of()));
        assertEquals("--insecure-links", RefuseOptions.firstRefused(args, List.of("!insecure-links", "!*")));
    }

    /**
     * An option's value in the next word is not read as options of its own, as the option parser reads it: a
     * client's "-e" then "-c..." refuses nothing when "c" is refused (and a fuzzed 1,500-byte value no longer
     * cost a pattern match per byte).
     */
    @Test
    void aValueInTheNextWordIsNoOption() {
        assertNull(RefuseOptions.firstRefused(List.of("--server", "-logDe", "-c.LsfxCIvu", ".", "m/"), List.of("c")));
        assertNull(RefuseOptions.firstRefused(List.of("--server", "--log-format", "-c", ".", "m/"), List.of("c")));
        assertEquals("--checksum", RefuseOptions.firstRefused(
                List.of("--server", "-e.LsfxCIvu", "-c", ".", "m/"), List.of("c")));
    }

    /**
     * rsync's parse_one_refuse_match: "a" stands for the letters -a implies, so "* !a !v" lets an archive push
     * through and still refuses the rest (rsync's suite, daemon-refuse); a wildcard matches letters too.
     */
    @Test
    void archiveStandsForWhatItImplies() {
        assertNull(RefuseOptions.firstRefused(List.of("--server", "-vlogDtpre.LsfxCIvu", ".", "mod/"),
                List.of("*", "!a", "!v")));
        assertEquals("--delete", RefuseOptions.firstRefused(PUSH, List.of("*", "!a", "!v")));
        assertEquals("--links", RefuseOptions.firstRefused(PUSH, List.of("a")));
        assertEquals("--owner", RefuseOptions.firstRefused(PUSH, List.of("[o]")));
    }

    @Test
    void anUnknownNameThatIsNoPathIsMatchedNotThrown() {
        // fuzz finding: a long option holding an undecodable byte (read as a lone surrogate) made the
        // glob matcher's Path.of throw InvalidPathException out of the session
        List<String> args = List.of("--server", "--og\uDCAAx", "--a/b", ".", "m/");
        assertEquals("--og\uDCAAx", RefuseOptions.firstRefused(args, List.of("og*")));
        assertEquals("--a/b", RefuseOptions.firstRefused(args, List.of("a**")), "wildmatch, not a glob over paths");
        assertNull(RefuseOptions.firstRefused(args, List.of("x*")));
    }
}
