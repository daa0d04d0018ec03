package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeIndexTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path state;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("src/a"));
        root = root.getParent();
        Files.writeString(root.resolve("a/kept"), "kept");
        Files.writeString(root.resolve("a/edited"), "one");
        Files.writeString(root.resolve("gone"), "g");
        state = tmp.resolve("state");
        // Old enough not to be taken as racily clean.
        for (String p : new String[] {"a/kept", "a/edited", "gone", "a", ""}) {
            Files.setLastModifiedTime(root.resolve(p), FileTime.fromMillis(1_000_000));
        }
    }

    private TreeIndex index() {
        return TreeIndex.of(state.toString(), root, "rsync://host/mod/", "-a", log);
    }

    private static Set<String> changes(TreeSnapshot s) {
        return s.diff().stream().map(c -> c.kind() + " " + c.path()).collect(Collectors.toSet());
    }

    @Test
    void aSavedSnapshotComesBackAndDiffsAgainstTheTreeAsItIsNow() throws Exception {
        index().save(TreeSnapshot.of(root));
        Files.writeString(root.resolve("a/edited"), "two!");
        Files.setLastModifiedTime(root.resolve("a/edited"), FileTime.fromMillis(2_000_000));
        Files.delete(root.resolve("gone"));
        Files.writeString(root.resolve("a/new"), "n");
        Files.setLastModifiedTime(root.resolve("a"), FileTime.fromMillis(1_000_000));

        TreeSnapshot restored = index().restore(root);
        assertNotNull(restored, log.toString());
        assertEquals(Set.of("MODIFIED a/edited", "DELETED gone", "CREATED a/new"), changes(restored));
    }

    @Test
    void aFileReplacedWithTheSameSizeAndMtimeIsChanged() throws Exception {
        index().save(TreeSnapshot.of(root));
        Path twin = Files.writeString(root.resolve("twin"), "one");
        Files.setLastModifiedTime(twin, FileTime.fromMillis(1_000_000));
        Files.move(twin, root.resolve("a/edited"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(root.resolve("a"), FileTime.fromMillis(1_000_000));
        assertEquals(Set.of("MODIFIED a/edited"), changes(index().restore(root)));
    }

    @Test
    void entriesChangedJustBeforeTheSaveAreTakenAsChanged() throws Exception {
        Files.writeString(root.resolve("a/edited"), "now");
        index().save(TreeSnapshot.of(root));
        assertEquals(Set.of("MODIFIED a/edited"), changes(index().restore(root)));
    }

    @Test
    void noIndexMeansAFullSyncAndSaysSo() {
        assertNull(index().restore(root));
        assertEquals(List.of("jrsync: watch: no index for " + root.toAbsolutePath() + " -> rsync://host/mod/ in "
                + state.toAbsolutePath() + "; full sync"), log.lines());
    }

    @Test
    void aCorruptIndexMeansAFullSyncAndSaysWhy() throws Exception {
        TreeIndex index = index();
        index.save(TreeSnapshot.of(root));
        byte[] bytes = Files.readAllBytes(index.file());
        Files.write(index.file(), Arrays.copyOf(bytes, bytes.length - 10));
        assertNull(index().restore(root));
        assertEquals(List.of("ERR jrsync: watch: index " + index.file()
                + " is corrupt (checksum mismatch (truncated or damaged)); full sync"), log.lines());
    }

    @Test
    void anIndexCopiedFromAnotherMirrorIsNotTrusted() throws Exception {
        TreeIndex other = TreeIndex.of(state.toString(), root, "rsync://host/other/", "-a", log);
        other.save(TreeSnapshot.of(root));
        Files.move(other.file(), index().file());
        assertNull(index().restore(root));
        assertEquals(1, log.lines().size());
        assertTrue(log.lines().getFirst().startsWith("ERR jrsync: watch: index " + index().file()
                + " is not this mirror's (it is the index of "), log.lines()::toString);
    }

    /**
     * The same source and destination mirrored with other options or rules is another mirror: an exclude taken away
     * must not leave the files it had kept out marked as sent, so the restart makes a full pass.
     */
    @Test
    void otherOptionsOrRulesKeepAnotherIndex() throws Exception {
        index().save(TreeSnapshot.of(root));
        TreeIndex otherRules = TreeIndex.of(state.toString(), root, "rsync://host/mod/", "-a [EXCLUDE *.o]", log);
        assertTrue(!otherRules.file().equals(index().file()), otherRules.file().toString());
        assertNull(otherRules.restore(root));
        assertEquals(List.of("jrsync: watch: no index for " + root + " -> rsync://host/mod/ in " + state
                + "; full sync"), log.lines());
    }

    /** Once something is sent the index on disk is older than the target: it goes until the next save. */
    @Test
    void sendingRemovesTheIndexUntilTheNextSave() throws Exception {
        TreeIndex index = index();
        TreeSnapshot s = TreeSnapshot.of(root);
        index.save(s);
        assertNull(index.dueNanos());
        index.changing();
        assertFalse(Files.exists(index.file()));
        assertNotNull(index.dueNanos());
        index.saveIfDue(s);
        assertFalse(Files.exists(index.file()), "saved before the delay");
        index.save(s);
        assertTrue(Files.exists(index.file()));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(state));
        assertEquals(List.of(), Files.list(state).filter(p -> !p.equals(index.file())).toList(), "temporary left");
    }

    @Test
    void withoutAStateDirectoryThereIsNoIndex() {
        TreeIndex none = TreeIndex.of(null, root, "rsync://host/mod/", "-a", log);
        none.save(TreeSnapshot.of(root));
        none.changing();
        assertNull(none.restore(root));
        assertNull(none.dueNanos());
        assertFalse(Files.exists(state));
        assertEquals(List.of(), log.lines());
    }
}
