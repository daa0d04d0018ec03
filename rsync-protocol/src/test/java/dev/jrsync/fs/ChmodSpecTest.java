package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The set-id bits of {@code --chmod} as rsync 3.5's {@code parse_chmod} gives them (its testsuite's
 * chmod-setid): "a+s" sets both, as chmod(1) does, where 3.2.7 set setuid only; "u+s" and "g+s" one each.
 */
class ChmodSpecTest {

    @Test
    void setIdBitsFollowTheirWho() {
        assertEquals(06644, ChmodSpec.parse(List.of("a+s"), 022).apply(0644, false));
        assertEquals(04644, ChmodSpec.parse(List.of("u+s"), 022).apply(0644, false));
        assertEquals(02644, ChmodSpec.parse(List.of("g+s"), 022).apply(0644, false));
        assertEquals(00644, ChmodSpec.parse(List.of("a-s"), 022).apply(06644, false));
    }
}
