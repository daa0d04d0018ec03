package dev.jrsync.watcher.inotify;

import java.util.EnumSet;
import java.util.Set;

/**
 * One kernel event as read from the inotify descriptor: the watch descriptor, the mask, the cookie that pairs
 * MOVED_FROM with MOVED_TO, and the name inside the watched directory ("" for events on the watch itself).
 */
public record InotifyEvent(int wd, int mask, int cookie, String name) {
    public InotifyEvent {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
    }

    public boolean is(EventKind kind) {
        return kind.in(mask);
    }

    public boolean isDir() {
        return is(EventKind.ISDIR);
    }

    public boolean isOverflow() {
        return is(EventKind.Q_OVERFLOW);
    }

    public boolean isIgnored() {
        return is(EventKind.IGNORED);
    }

    public Set<EventKind> kinds() {
        EnumSet<EventKind> set = EnumSet.noneOf(EventKind.class);
        for (EventKind k : EventKind.values()) {
            if (k.in(mask)) {
                set.add(k);
            }
        }
        return set;
    }
}
