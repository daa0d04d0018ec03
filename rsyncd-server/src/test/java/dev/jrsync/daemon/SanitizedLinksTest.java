package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Received symlink targets as a daemon without a chroot keeps them: rsync's sanitize_path, by its rules. */
class SanitizedLinksTest {
    @ParameterizedTest
    @CsvSource({
        "/etc/passwd, 0, etc/passwd",
        "/tmp/a/b, 1, tmp/a/b",
        "../../above/a_file, 1, ../above/a_file",
        "../above/a_dev_c, 1, ../above/a_dev_c",
        "../x, 0, x",
        "a/../../b, 1, ../b",
        "a/b/../c, 0, a/c",
        "./a/./b/, 0, a/b/",
        "'..', 1, '..'",
        "'..', 0, .",
        "'.', 2, .",
        "a//b, 0, a/b",
        "../../../../x, 2, ../../x",
        "x/../../../y, 3, ../../y",
    })
    void targetsAreCleanedAsRsyncCleansThem(String target, int depth, String expected) {
        assertEquals(expected, new String(SanitizedLinks.sanitize(target.getBytes(StandardCharsets.UTF_8), depth),
                StandardCharsets.UTF_8));
    }
}
