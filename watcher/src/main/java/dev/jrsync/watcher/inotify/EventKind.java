package dev.jrsync.watcher.inotify;

/** Every bit the kernel can set in an inotify event mask, with the name inotifywait prints for it. */
public enum EventKind {
    ACCESS(0x1),
    MODIFY(0x2),
    ATTRIB(0x4),
    CLOSE_WRITE(0x8),
    CLOSE_NOWRITE(0x10),
    OPEN(0x20),
    MOVED_FROM(0x40),
    MOVED_TO(0x80),
    CREATE(0x100),
    DELETE(0x200),
    DELETE_SELF(0x400),
    MOVE_SELF(0x800),
    UNMOUNT(0x2000),
    Q_OVERFLOW(0x4000),
    IGNORED(0x8000),
    ISDIR(0x40000000);

    public final int bit;

    EventKind(int bit) {
        this.bit = bit;
    }

    public boolean in(int mask) {
        return (mask & bit) != 0;
    }
}
