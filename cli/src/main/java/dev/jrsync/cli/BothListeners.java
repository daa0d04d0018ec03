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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A mirror's events told to two listeners, in order: the lines it prints, then the numbers it keeps. The
 * transfers to each destination are heard by whom the first names for them ({@link #transfersTo}).
 */
record BothListeners(MirrorListener first, MirrorListener second) implements MirrorListener {
    @Override
    public TransferListener transfersTo(String target) {
        return first.transfersTo(target);
    }

    @Override
    public void fullSyncDone(String target, Duration elapsed, long bytesSent) {
        first.fullSyncDone(target, elapsed, bytesSent);
        second.fullSyncDone(target, elapsed, bytesSent);
    }

    @Override
    public void watching(String target, Path root, int watches, int entries) {
        first.watching(target, root, watches, entries);
        second.watching(target, root, watches, entries);
    }

    @Override
    public void batchStarted(String target, int paths, int queued) {
        first.batchStarted(target, paths, queued);
        second.batchStarted(target, paths, queued);
    }

    @Override
    public void batchSent(MirrorBatch batch) {
        first.batchSent(batch);
        second.batchSent(batch);
    }

    @Override
    public void failed(MirrorFailure failure) {
        first.failed(failure);
        second.failed(failure);
    }

    @Override
    public void stopped(MirrorStatus status, Optional<String> failure) {
        first.stopped(status, failure);
        second.stopped(status, failure);
    }

    @Override
    public void item(FileItem item) {
        first.item(item);
        second.item(item);
    }

    @Override
    public void progress(FileProgress progress) {
        first.progress(progress);
        second.progress(progress);
    }

    @Override
    public void listed(ListedFile file) {
        first.listed(file);
        second.listed(file);
    }

    @Override
    public void deleted(String name) {
        first.deleted(name);
        second.deleted(name);
    }

    @Override
    public void message(Message message) {
        first.message(message);
        second.message(message);
    }
}
