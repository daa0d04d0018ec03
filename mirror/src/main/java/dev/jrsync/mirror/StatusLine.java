package dev.jrsync.mirror;

import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The command line's printing of a mirror's events: the watch's start and stop, failures, and with
 * {@code -v}/{@code --progress} a line after each batch: changes queued and in flight, paths synced, bytes sent
 * against bytes changed, and the lag from the oldest change to its arrival.
 */
final class StatusLine implements MirrorEvents {
    private final SessionLog log;
    private final boolean enabled;
    private long synced;
    private long bytesSent;
    private long bytesChanged;

    private final boolean showStart;

    /**
     * @param enabled   print the line after each batch ({@code -v} or {@code --progress})
     * @param showStart also print one as each batch starts ({@code --progress})
     */
    StatusLine(SessionLog log, boolean enabled, boolean showStart) {
        this.log = log;
        this.enabled = enabled;
        this.showStart = showStart;
    }

    /** A full transfer (the initial one, or after too many lost events): its bytes stay out of the totals. */
    @Override
    public void fullSync(long sent, long millis) {
        if (enabled) {
            log.info("mirror: full sync done in " + millis + " ms, " + sent + " bytes sent");
        }
    }

    @Override
    public void watching(Path root, int watches, int entries) {
        log.info("jrsync: watching " + root + " (" + watches + " watched director" + (watches == 1 ? "y" : "ies")
                + ", " + entries + " entries below)");
    }

    @Override
    public void synced(Set<String> paths, long sent, long changed, int queued, long lagNanos) {
        synced += paths.size();
        bytesSent += sent;
        bytesChanged += changed;
        if (enabled) {
            log.info(String.format("mirror: %d queued, 0 in flight, %d synced, %d bytes sent for %d changed, lag %.1f ms",
                    queued, synced, bytesSent, bytesChanged, lagNanos / 1e6));
        }
    }

    @Override
    public void inFlight(int paths, int queued) {
        if (showStart) {
            log.info("mirror: " + queued + " queued, " + paths + " in flight, " + synced + " synced");
        }
    }

    /** Failures are always shown, with what happens next. */
    @Override
    public void failed(String what, String why, int queued, long retryMillis) {
        log.error("jrsync: mirror " + what + " failed (" + why + "); " + queued
                + " change(s) kept, retrying in " + retryMillis + " ms");
    }

    @Override
    public void stopped(int unsynced) {
        log.info("jrsync: watch stopped" + (unsynced > 0 ? "; " + unsynced + " change(s) not synced" : ""));
    }

    /** A failure's cause as a line shows it. */
    static String describe(Throwable t) {
        if (t instanceof IOException io) {
            return Posix.describe(io);
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? "internal error" : msg.strip();
    }
}
