package dev.jrsync.cli;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.api.mirror.MirrorBatch;
import dev.jrsync.api.mirror.MirrorFailure;
import dev.jrsync.api.mirror.MirrorListener;
import dev.jrsync.api.mirror.MirrorStatus;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.ui.ClientPrinter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code jrsync --watch} prints: each transfer's lines as a client run prints them, the watch's start and
 * stop, failures with what happens next, and with {@code -v}/{@code --progress} a line after each batch (changes
 * queued and in flight, paths synced, bytes sent against bytes changed, and the lag from the oldest change to its
 * arrival); {@code --progress} adds one as each batch starts.
 */
final class MirrorPrinter implements MirrorListener {
    private final SessionLog lines;
    private final ClientPrinter transfers;
    private final boolean batchLines;
    private final boolean startLines;
    private long synced;
    private long bytesSent;
    private long bytesChanged;

    MirrorPrinter(SessionLog lines, Options options) {
        this.lines = lines;
        this.transfers = ClientPrinter.of(lines, options);
        this.batchLines = options.verbose() > 0 || options.progress();
        this.startLines = options.progress();
    }

    /** A full transfer (the initial one, or after too many lost events): its bytes stay out of the totals. */
    @Override
    public void fullSyncDone(Duration elapsed, long sent) {
        if (batchLines) {
            lines.info("mirror: full sync done in " + elapsed.toMillis() + " ms, " + sent + " bytes sent");
        }
    }

    @Override
    public void watching(Path root, int watches, int entries) {
        lines.info("jrsync: watching " + root + " (" + watches + " watched director" + (watches == 1 ? "y" : "ies")
                + ", " + entries + " entries below)");
    }

    @Override
    public void batchStarted(int paths, int queued) {
        if (startLines) {
            lines.info("mirror: " + queued + " queued, " + paths + " in flight, " + synced + " synced");
        }
    }

    @Override
    public void batchSent(MirrorBatch batch) {
        synced += batch.paths().size();
        bytesSent += batch.bytesSent();
        bytesChanged += batch.bytesChanged();
        if (batchLines) {
            lines.info(String.format(Locale.ROOT,
                    "mirror: %d queued, 0 in flight, %d synced, %d bytes sent for %d changed, lag %.1f ms",
                    batch.queued(), synced, bytesSent, bytesChanged, batch.latency().toNanos() / 1e6));
        }
    }

    /** Failures are always shown, with what happens next. */
    @Override
    public void failed(MirrorFailure f) {
        lines.error("jrsync: mirror " + f.what() + " failed (" + f.why() + "); " + f.pending()
                + " change(s) kept, retrying in " + f.retryIn().toMillis() + " ms");
    }

    /** A mirror that failed says why (rsync's closing line follows); one that was stopped, what it left unsent. */
    @Override
    public void stopped(MirrorStatus status, Optional<String> failure) {
        failure.ifPresentOrElse(lines::error, () -> lines.info("jrsync: watch stopped" + (status.pending() > 0
                ? "; " + status.pending() + " change(s) not synced" : "")));
    }

    @Override
    public void item(FileItem item) {
        transfers.item(item);
    }

    @Override
    public void progress(FileProgress progress) {
        transfers.progress(progress);
    }

    @Override
    public void listed(ListedFile file) {
        transfers.listed(file);
    }

    @Override
    public void deleted(String name) {
        transfers.deleted(name);
    }

    @Override
    public void message(Message message) {
        transfers.message(message);
    }
}
