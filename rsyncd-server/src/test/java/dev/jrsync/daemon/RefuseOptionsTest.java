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
}
