package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.core.RsyncException;
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

    /** rsync 3.5 copies one class's bits onto others (its testsuite's chmod-option: {@code g=o,o=}). */
    @Test
    void aClassCopiesAnother() {
        assertEquals(0744, ChmodSpec.parse(List.of("g=o"), 022).apply(0754, false));
        assertEquals(0757, ChmodSpec.parse(List.of("o=u"), 022).apply(0750, false));
        assertEquals(0725, ChmodSpec.parse(List.of("g-o"), 022).apply(0775, false));
        assertEquals(0770, ChmodSpec.parse(List.of("u+g"), 022).apply(0070, false));
        assertEquals(0550, ChmodSpec.parse(List.of("g=o,o="), 022).apply(0555, false));
        assertEquals(0640, ChmodSpec.parse(List.of("g=o", "o="), 022).apply(0604, false));
        assertEquals(0775, ChmodSpec.parse(List.of("g=u"), 022).apply(02705, true), "'=' clears g's set-id bit");
        assertThrows(RsyncException.class, () -> ChmodSpec.parse(List.of("g=ro"), 022));
        assertThrows(RsyncException.class, () -> ChmodSpec.parse(List.of("g=ou"), 022));
    }
}
