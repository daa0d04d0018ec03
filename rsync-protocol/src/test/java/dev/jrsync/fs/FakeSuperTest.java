package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FakeSuper} on real files: what {@code set_stat_xattr} leaves on disk and in {@code user.rsync.%stat},
 * and what {@code x_lstat} makes of it.
 */
class FakeSuperTest {
    @TempDir
    Path tmp;

    private static String stored(Path p) throws IOException {
        byte[] v = Xattrs.lget(p, StatXattr.NAME, StatXattr.MAX_LENGTH);
        return v == null ? null : new String(v, StandardCharsets.US_ASCII);
    }

    @Test
    void aSetuidFileKeepsItsBitsInTheAttributeAndGetsASafeMode() throws IOException {
        Path f = Files.writeString(tmp.resolve("su"), "x");
        LocalStat real = LocalStat.of(f);
        FakeSuper.setStatXattr(f, 0104755, 0, 0, 1234, 5678);
        assertEquals("104755 0,0 1234:5678", stored(f));
        assertEquals(0100755, LocalStat.of(f).mode());
        LocalStat seen = FakeSuper.lstat(f);
        assertEquals(0104755, seen.mode());
        assertEquals(1234, seen.uid());
        assertEquals(5678, seen.gid());
        assertEquals(real.size(), seen.size());
    }

    @Test
    void theAttributeGoesOnceTheFileItselfIsRight() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        LocalStat real = LocalStat.of(f);
        FakeSuper.setStatXattr(f, 0100644, 0, 0, real.uid() + 1, real.gid());
        assertEquals("100644 0,0 " + (real.uid() + 1) + ":" + real.gid(), stored(f));
        FakeSuper.setStatXattr(f, 0100644, 0, 0, real.uid(), real.gid());
        assertNull(stored(f));
        assertEquals(0100644, LocalStat.of(f).mode());
    }

    @Test
    void aDeviceIsAnEmptyPrivateFileThatReadsBackAsTheDevice() throws IOException {
        Path d = tmp.resolve("dev");
        FakeSuper.placeholder(d);
        assertEquals(0100600, LocalStat.of(d).mode());
        FakeSuper.setStatXattr(d, 0020640, 4, 5, 0, 0);
        assertEquals("20640 4,5 0:0", stored(d));
        assertEquals(0100640, LocalStat.of(d).mode()); // rw for the owner added, group bits kept
        LocalStat seen = FakeSuper.lstat(d);
        assertTrue(seen.isDevice());
        assertEquals(4, seen.rdevMajor());
        assertEquals(5, seen.rdevMinor());
    }

    @Test
    void aSymlinkIsAFileHoldingItsTarget() throws IOException {
        Path l = tmp.resolve("link");
        byte[] target = "../some/where".getBytes(StandardCharsets.UTF_8);
        FakeSuper.symlink(target, l);
        FakeSuper.setStatXattr(l, 0120777, 0, 0, 0, 0);
        assertEquals(0100777, LocalStat.of(l).mode()); // as stock rsync leaves it
        assertTrue(FakeSuper.lstat(l).isSymlink());
        assertArrayEquals(target, FakeSuper.readlink(l, true));
        Path real = Files.createSymbolicLink(tmp.resolve("real"), Path.of("elsewhere"));
        assertArrayEquals("elsewhere".getBytes(StandardCharsets.UTF_8), FakeSuper.readlink(real, true));
        assertEquals(0, FakeSuper.readlink(real, false).length); // a receiver replaces a real one
    }

    /** rsync stops with "Corrupt ... xattr" and exit code 11 rather than copy a file whose attributes are unknown. */
    @Test
    void aCorruptAttributeStopsTheTransfer() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Xattrs.lset(f, StatXattr.NAME, "100644 0,0 1:".getBytes(StandardCharsets.US_ASCII));
        RsyncException e = assertThrows(RsyncException.class, () -> FakeSuper.lstat(f));
        assertEquals(ExitCode.FILE_IO, e.exitCode());
        assertTrue(e.getMessage().startsWith("Corrupt user.rsync.%stat xattr attached to "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": \"100644 0,0 1:\""), e.getMessage());
    }
}
