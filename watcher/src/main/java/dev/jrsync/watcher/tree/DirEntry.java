package dev.jrsync.watcher.tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** What a rescan remembers of one directory entry, enough to tell created, written, chmod-ed and deleted apart. */
record DirEntry(boolean directory, boolean regular, long size, long mtimeNanos, long ctimeNanos, int mode) {
    static DirEntry of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:isDirectory,isRegularFile,size,lastModifiedTime,ctime,mode",
                LinkOption.NOFOLLOW_LINKS);
        return new DirEntry((Boolean) a.get("isDirectory"), (Boolean) a.get("isRegularFile"), (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")), (Integer) a.get("mode"));
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    boolean contentDiffers(DirEntry o) {
        return size != o.size || mtimeNanos != o.mtimeNanos;
    }

    boolean attributesDiffer(DirEntry o) {
        return mode != o.mode || ctimeNanos != o.ctimeNanos;
    }
}
