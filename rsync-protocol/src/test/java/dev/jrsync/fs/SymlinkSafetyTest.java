package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.core.PathBytes;
import org.junit.jupiter.api.Test;

/** rsync's {@code unsafe_symlink}: a link may climb as many ".." as its own name is deep in the transfer. */
class SymlinkSafetyTest {

    private static boolean unsafe(String target, String name) {
        return SymlinkSafety.unsafe(PathBytes.bytes(target), PathBytes.bytes(name));
    }

    @Test
    void theLinksDepthIsItsMargin() {
        assertEquals(false, unsafe("../file", "sub/link"));
        assertEquals(true, unsafe("../file", "link"));
        assertEquals(false, unsafe("../../x", "a/b/link"));
        assertEquals(true, unsafe("../../../x", "a/b/link"));
        assertEquals(false, unsafe("./x", "link"));
        assertEquals(false, unsafe("d/./e", "link"));
    }

    @Test
    void absoluteEmptyAndInnerClimbsAreAlwaysUnsafe() {
        assertEquals(true, unsafe("/etc/passwd", "a/b/c/link"));
        assertEquals(true, unsafe("", "a/link"));
        assertEquals(true, unsafe("a/../../x", "d/e/f/link"), "a '..' after a name");
        assertEquals(true, unsafe("sub/..", "d/link"), "a target that ends in '..'");
        assertEquals(false, unsafe("..//../x", "a/b/link"), "repeated slashes between leading '..'");
    }
}
