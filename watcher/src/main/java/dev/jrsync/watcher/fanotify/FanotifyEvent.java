package dev.jrsync.watcher.fanotify;

/**
 * One event read from a fanotify descriptor initialised with FAN_REPORT_DFID_NAME: the mask (the kernel may have
 * merged several events on one name into it), the directory and the name in it, and for FAN_RENAME also the
 * directory and name it came from ({@code dir}/{@code name} are then the new ones). Handles are null for events
 * without them (an overflow).
 */
public record FanotifyEvent(long mask, FileHandle dir, String name, FileHandle fromDir, String fromName) {
    public boolean has(long bits) {
        return (mask & bits) != 0;
    }
}
