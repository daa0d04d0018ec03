package dev.jrsync.api.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A mirror config's text becomes each sync's {@code jrsync --watch} command line, and what is wrong names its line. */
class MirrorConfigTest {
    @Test
    void eachSectionIsACommandLineWithTheDefaultsBeforeIt() {
        MirrorConfig c = MirrorConfig.parse("""
                # defaults
                options = -a --delete
                exclude = *.swp

                [www]
                source = /srv/www/
                Target = rsync://backup.example/www/
                target = /mnt/replica/www/
                include = keep.swp
                Max Delay = 500

                ; another
                [logs]
                options = -rt --exclude='a b'
                source = /var/log/app/
                target = /mnt/logs/
                delay = 20
                """, "test.conf");
        assertEquals(List.of("www", "logs"), c.syncs().stream().map(MirrorConfig.Sync::name).toList());
        assertEquals(List.of("-a", "--delete", "--exclude=*.swp", "--include=keep.swp", "--watch-max-delay=500",
                "--watch-target=/mnt/replica/www/", "--watch", "--", "/srv/www/", "rsync://backup.example/www/"),
                c.syncs().get(0).argv());
        // a section's own options replace the defaults', the default rules stay
        assertEquals(List.of("-rt", "--exclude=a b", "--exclude=*.swp", "--watch-delay=20", "--watch", "--",
                "/var/log/app/", "/mnt/logs/"), c.syncs().get(1).argv());
        MirrorSpec www = c.syncs().get(0).spec((user, module) -> null);
        assertEquals(List.of("rsync://backup.example/www/", "/mnt/replica/www/"), www.destinations());
        assertEquals(java.util.Optional.of(java.time.Duration.ofMillis(500)), www.maxDelay());
    }

    @Test
    void whatIsWrongIsNamedByItsFileAndLine() {
        assertError("test.conf line 2: unknown key \"sorce\"", "[a]\nsorce = /x/\ntarget = /y/\n");
        assertError("test.conf line 1: [a] needs one source", "[a]\ntarget = /y/\n");
        assertError("test.conf line 3: [a] needs one source, not 2", "[a]\nsource = /x/\nsource = /z/\ntarget = /y/\n");
        assertError("test.conf line 1: [a] has no target", "[a]\nsource = /x/\n");
        assertError("test.conf line 3: section [a] was opened before, at line 1",
                "[a]\nsource = /x/\n[a]\n");
        assertError("test.conf line 4: delay is a number of milliseconds, not \"5s\"",
                "[a]\nsource = /x/\ntarget = /y/\ndelay = 5s\n");
        assertError("test.conf line 1: [a]: ", "[a]\nsource = /x/\ntarget = /y/\noptions = --no-such-option\n");
        assertError("test.conf line 1: not a [section] nor a key = value line: hello", "hello\n");
        assertError("test.conf: no [section]", "options = -a\n");
    }

    private static void assertError(String start, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MirrorConfig.parse(text, "test.conf"));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
