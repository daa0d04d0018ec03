package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --confine-root} (rsync 3.5, which rrsync gives the server it starts): a directory an option names must
 * really lie below the root, however it is spelled; one that does is used as usual.
 */
class ConfineRootTest {
    @TempDir
    Path tmp;

    @Test
    void aBackupDirectoryOutsideTheRootIsRefused() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path dest = root.resolve("dest");
        Files.createSymbolicLink(root.resolve("way-out"), tmp.resolve("outside"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(src.resolve("f"), "one\n");
        String confine = "--confine-root=" + root;
        Jrsync.run("-a", confine, src + "/", dest + "/").assertSuccess();

        Files.writeString(src.resolve("f"), "two, and longer\n"); // not the same size: the quick check sees it
        for (String outside : new String[] {tmp.resolve("outside").toString(), "../way-out"}) {
            Jrsync r = Jrsync.run("-a", "-b", "--backup-dir=" + outside, confine, src + "/", dest + "/");
            assertEquals(11, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("resolves outside the --confine-root directory"), r::transcript);
        }
        try (var left = Files.list(tmp.resolve("outside"))) {
            assertFalse(left.findAny().isPresent(), "nothing was written outside the root");
        }
        Jrsync.run("-a", "-b", "--backup-dir=../kept", confine, src + "/", dest + "/").assertSuccess();
        assertEquals("one\n", Files.readString(root.resolve("kept/f")));

        Jrsync relative = Jrsync.run("-a", "--confine-root=root", src + "/", dest + "/");
        assertEquals(1, relative.exitCode(), relative::transcript);
        assertTrue(relative.stderr().contains("--confine-root must be an absolute path"), relative::transcript);
    }

    @Test
    void aMergeFileOutsideTheRootIsNotReadWhateverPathReachesIt() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(tmp.resolve("secret"), "secret-word\n");
        Files.writeString(root.resolve("secret-word"), "x");
        Files.writeString(root.resolve("plain"), "x");
        Files.writeString(root.resolve("in-tree-list"), "plain\n");
        Files.createSymbolicLink(root.resolve("self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("way-out"), Path.of("../secret"));
        String confine = "--confine-root=" + root;

        // the source reached through a link of its own: the merge file's path reads as inside, the file is not;
        // a merge file that cannot be opened stops the transfer, as rsync's does
        Files.writeString(root.resolve(".rsync-filter"), "merge,- way-out\n");
        Jrsync escaped = Jrsync.run("-r", confine, "--filter=:s .rsync-filter", root + "/self/", tmp + "/escaped/");
        assertEquals(11, escaped.exitCode(), escaped::transcript);
        // named by a file's text, so shown by where it was named (rsync 3.5's rule_src_where)
        assertTrue(escaped.stderr().contains("failed to open exclude file <rule from a file named at .rsync-filter"
                + " line 1>"), escaped::transcript);
        assertFalse(escaped.stderr().contains("secret-word"), escaped::transcript);

        Files.writeString(root.resolve(".rsync-filter"), "merge,- in-tree-list\n");
        Path kept = tmp.resolve("kept");
        Jrsync.run("-r", confine, "--filter=:s .rsync-filter", root + "/self/", kept + "/").assertSuccess();
        assertTrue(Files.exists(kept.resolve("secret-word")));
        assertFalse(Files.exists(kept.resolve("plain")), "a merge file inside the root is read");
    }
}
