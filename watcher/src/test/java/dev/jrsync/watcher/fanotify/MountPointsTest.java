package dev.jrsync.watcher.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountPointsTest {
    @Test
    void mountsStrictlyBelowTheDirectoryWithEscapesUndone() {
        List<String> mountinfo = List.of(
                "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
                "23 22 0:21 / /data rw - tmpfs none rw",
                "24 22 0:22 / /data/a\\040b rw - tmpfs none rw",
                "25 22 0:23 / /database rw - tmpfs none rw",
                "26 22 0:24 / /data/c\\134d rw - tmpfs none rw");
        assertEquals(List.of("/data/a b", "/data/c\\d"), MountPoints.below("/data/", mountinfo));
        assertEquals(List.of(), MountPoints.below("/database/", mountinfo));
    }
}
