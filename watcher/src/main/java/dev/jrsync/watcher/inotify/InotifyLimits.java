package dev.jrsync.watcher.inotify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's per-user inotify limits, read from /proc/sys/fs/inotify (-1 where unreadable). */
public record InotifyLimits(long maxUserWatches, long maxUserInstances, long maxQueuedEvents) {
    private static final Path DIR = Path.of("/proc/sys/fs/inotify");

    public static InotifyLimits read() {
        return new InotifyLimits(value("max_user_watches"), value("max_user_instances"), value("max_queued_events"));
    }

    private static long value(String name) {
        // Not Files.readString: /proc reports a size of 0, and the JDK's sized read then returns one byte.
        try (var in = Files.newInputStream(DIR.resolve(name))) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * What to tell a user whose tree needs more watches than the limit: the limit, the need, and the sysctl line
     * (the suggested value leaves room for the watches other programs hold).
     */
    public String watchLimitMessage(String root, long needed, long rescanSeconds) {
        long suggested = Math.max(needed + Math.max(maxUserWatches, 8192), maxUserWatches * 2);
        return "inotify watch limit reached while watching " + root + ": fs.inotify.max_user_watches is "
                + (maxUserWatches < 0 ? "unknown" : Long.toString(maxUserWatches)) + " and this tree needs "
                + needed + " watches. Directories without a watch are rescanned every " + rescanSeconds
                + " s instead. To raise the limit: sysctl fs.inotify.max_user_watches=" + suggested;
    }

    public String instanceLimitMessage() {
        long suggested = Math.max(maxUserInstances * 2, 256);
        return "inotify instance limit reached: fs.inotify.max_user_instances is "
                + (maxUserInstances < 0 ? "unknown" : Long.toString(maxUserInstances))
                + ". To raise the limit: sysctl fs.inotify.max_user_instances=" + suggested;
    }
}
