package dev.jrsync.cli;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.api.TransferListener;
import dev.jrsync.api.mirror.MirrorBatch;
import dev.jrsync.api.mirror.MirrorFailure;
import dev.jrsync.api.mirror.MirrorListener;
import dev.jrsync.api.mirror.MirrorStatus;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.ui.ClientPrinter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code jrsync --watch} prints: each transfer's lines as a client run prints them, the watch's start and
 * stop, failures with what happens next, and with {@code -v}/{@code --progress} a line after each batch (changes
 * queued and in flight, paths synced, bytes sent against bytes changed, and the lag from the oldest change to its
 * arrival); {@code --progress} adds one as each batch starts. With several destinations ({@code --watch-target})
 * each of these lines names its destination, and the totals are each destination's own; a transfer's own lines
 * (items, deletions, progress, messages) start with {@code [DEST]}; the destinations' threads print one line at a
 * time.
 */
final class MirrorPrinter implements MirrorListener {
    private final SessionLog lines;
    private final Options options;
    private final ClientPrinter transfers;
    private final boolean batchLines;
    private final boolean startLines;
    private final boolean severalTargets;
    private final Map<String, Totals> totals = new HashMap<>();
    private boolean failurePrinted;

    /** One destination's running totals, for its batch lines. */
    private static final class Totals {
        long synced;
        long bytesSent;
        long bytesChanged;
    }

    MirrorPrinter(SessionLog lines, Options options) {
        this.lines = lines;
        this.options = options;
        this.transfers = ClientPrinter.of(lines, options);
        this.batchLines = options.verbose() > 0 || options.progress();
        this.startLines = options.progress();
        this.severalTargets = !options.watchTargets().isEmpty();
    }

    /** " to DEST" when the lines must say which destination they are about, else nothing. */
    private String to(String target) {
        return severalTargets ? " to " + target : "";
    }

    private Totals totals(String target) {
        return totals.computeIfAbsent(target, t -> new Totals());
    }

    /** With several destinations, each one's transfers print their lines after its name in brackets. */
    @Override
    public TransferListener transfersTo(String target) {
        return severalTargets ? ClientPrinter.of(new LabelledLog(lines, "[" + target + "] "), options) : this;
    }

    /** A full transfer (the initial one, or after too many lost events): its bytes stay out of the totals. */
    @Override
    public synchronized void fullSyncDone(String target, Duration elapsed, long sent) {
        if (batchLines) {
            lines.info("mirror" + to(target) + ": full sync done in " + elapsed.toMillis() + " ms, " + sent
                    + " bytes sent");
        }
    }

    @Override
    public synchronized void watching(String target, Path root, int watches, int entries) {
        lines.info("jrsync: watching " + root + to(target) + " (" + watches + " watched director"
                + (watches == 1 ? "y" : "ies") + ", " + entries + " entries below)");
    }

    @Override
    public synchronized void batchStarted(String target, int paths, int queued) {
        if (startLines) {
            lines.info("mirror" + to(target) + ": " + queued + " queued, " + paths + " in flight, "
                    + totals(target).synced + " synced");
        }
    }

    @Override
    public synchronized void batchSent(MirrorBatch batch) {
        Totals t = totals(batch.target());
        t.synced += batch.paths().size();
        t.bytesSent += batch.bytesSent();
        t.bytesChanged += batch.bytesChanged();
        if (batchLines) {
            lines.info(String.format(Locale.ROOT,
                    "mirror%s: %d queued, 0 in flight, %d synced, %d bytes sent for %d changed, lag %.1f ms",
                    to(batch.target()), batch.queued(), t.synced, t.bytesSent, t.bytesChanged,
                    batch.latency().toNanos() / 1e6));
        }
    }

    /** Failures are always shown, with what happens next. */
    @Override
    public synchronized void failed(MirrorFailure f) {
        lines.error("jrsync: mirror" + to(f.target()) + " " + f.what() + " failed (" + f.why() + "); " + f.pending()
                + " change(s) kept, retrying in " + f.retryIn().toMillis() + " ms");
    }

    /**
     * A mirror that failed says why, once for all its destinations (rsync's closing line follows); one that was
     * stopped, what it left unsent to each.
     */
    @Override
    public synchronized void stopped(MirrorStatus status, Optional<String> failure) {
        if (failure.isPresent()) {
            if (!failurePrinted) {
                lines.error(failure.get());
            }
            failurePrinted = true;
            return;
        }
        lines.info("jrsync: watch stopped" + (severalTargets ? " for " + status.target() : "") + (status.pending() > 0
                ? "; " + status.pending() + " change(s) not synced" : ""));
    }

    @Override
    public synchronized void item(FileItem item) {
        transfers.item(item);
    }

    @Override
    public synchronized void progress(FileProgress progress) {
        transfers.progress(progress);
    }

    @Override
    public synchronized void listed(ListedFile file) {
        transfers.listed(file);
    }

    @Override
    public synchronized void deleted(String name) {
        transfers.deleted(name);
    }

    @Override
    public synchronized void message(Message message) {
        transfers.message(message);
    }
}
