package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileSlotsTest {
    @TempDir
    Path tmp;

    @Test
    void slotsAreFourByteLocksUpToTheMaximumAndComeBackWhenReleased() throws IOException {
        Path file = tmp.resolve("rsyncd.lock");
        try (LockFileSlots slots = new LockFileSlots()) {
            FileLock first = slots.claim(file, 2);
            FileLock second = slots.claim(file, 2);
            assertNotNull(first);
            assertNotNull(second);
            assertEquals(4, second.position());
            assertNull(slots.claim(file, 2), "both slots are taken");
            first.release();
            assertEquals(0, slots.claim(file, 2).position(), "a released slot is free again");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aSymlinkedLockFileIsRefused() throws IOException {
        Path target = Files.writeString(tmp.resolve("elsewhere"), "");
        Path link = Files.createSymbolicLink(tmp.resolve("rsyncd.lock"), target);
        try (LockFileSlots slots = new LockFileSlots()) {
            assertThrows(IOException.class, () -> slots.claim(link, 1));
        }
    }
}
