package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTreesTest {

    @TempDir
    Path tmp;

    @Test
    void variedTreeHasTheAdvertisedEntries() throws IOException {
        List<String> names = TestTrees.buildVaried(tmp);
        assertEquals(0, Files.size(tmp.resolve("empty.txt")));
        assertEquals(TestTrees.BIG_SIZE, Files.size(tmp.resolve(TestTrees.BIG_FILE)));
        assertEquals(TestTrees.MEDIUM_SIZE, Files.size(tmp.resolve(TestTrees.MEDIUM_FILE)));
        assertEquals("rwxr-xr-x", perms("bin/run.sh"));
        assertEquals("rw-------", perms("private/secret.txt"));
        assertEquals("rwx------", perms("private"));
        assertEquals("rw-r-----", perms("perm/group-read.txt"));
        assertEquals("r--r--r--", perms("perm/read-only.txt"));
        assertEquals(Path.of("small.txt"), Files.readSymbolicLink(tmp.resolve("link-to-small")));
        assertEquals("hello from jrsync\n", Files.readString(tmp.resolve("deep/a/up-link")));
        assertTrue(Files.isSymbolicLink(tmp.resolve("dangling")) && !Files.exists(tmp.resolve("dangling")));
        assertTrue(Files.isDirectory(tmp.resolve("empty-dir")));
        assertTrue(names.contains("日本語.txt") && Files.exists(tmp.resolve("ünïcödé ñame.txt")), names::toString);
        for (String name : names) {
            Instant mtime = Files.getLastModifiedTime(tmp.resolve(name), LinkOption.NOFOLLOW_LINKS).toInstant();
            assertTrue(mtime.isBefore(Instant.parse("2022-01-01T00:00:00Z")), name + " " + mtime);
            assertNotEquals(0, mtime.getNano(), name);
        }
    }

    @Test
    void randomContentIsPinnedBySeed() {
        // java.util.Random is a specified 48-bit LCG; these bytes were computed independently from its published definition.
        byte[] first = TestTrees.randomBytes(4, 42);
        assertArrayEquals(new byte[] {(byte) 0x35, (byte) 0x9d, (byte) 0x41, (byte) 0xba}, first);
    }

    @Test
    void editInPlaceKeepsSizeChangesBytesAndMovesMtime() throws IOException {
        Path f = tmp.resolve("f.bin");
        TestTrees.writeRandom(f, 100_000, 7);
        byte[] before = Files.readAllBytes(f);
        Instant mtimeBefore = Files.getLastModifiedTime(f).toInstant();
        List<Long> offsets = TestTrees.editInPlace(f, 99, 5);
        byte[] after = Files.readAllBytes(f);
        assertEquals(before.length, after.length);
        assertEquals(5, offsets.size());
        for (long off : offsets) {
            assertNotEquals(before[(int) off], after[(int) off], "byte at " + off);
        }
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            changed += before[i] != after[i] ? 1 : 0;
        }
        assertTrue(changed >= 5 && changed <= 5 * 16, "changed bytes: " + changed);
        assertTrue(Files.getLastModifiedTime(f).toInstant().getEpochSecond() > mtimeBefore.getEpochSecond());
    }

    @Test
    void insertNearStartShiftsTheRest() throws IOException {
        Path f = tmp.resolve("g.bin");
        TestTrees.writeRandom(f, 50_000, 8);
        byte[] before = Files.readAllBytes(f);
        long offset = TestTrees.insertNearStart(f, 3, 17);
        byte[] after = Files.readAllBytes(f);
        assertTrue(offset <= 4096);
        assertEquals(before.length + 17, after.length);
        assertArrayEquals(Arrays.copyOfRange(before, 0, (int) offset), Arrays.copyOfRange(after, 0, (int) offset));
        assertArrayEquals(Arrays.copyOfRange(before, (int) offset, before.length),
                Arrays.copyOfRange(after, (int) offset + 17, after.length));
    }

    private String perms(String name) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(name), LinkOption.NOFOLLOW_LINKS));
    }
}
