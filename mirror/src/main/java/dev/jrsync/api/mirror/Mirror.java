package dev.jrsync.api.mirror;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.Message;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.api.TransferListener;
import dev.jrsync.mirror.LiveMirror;
import dev.jrsync.mirror.TargetMirror;
import dev.jrsync.mirror.Transfer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts live mirrors, as {@code jrsync --watch SRC/ DEST} runs one: the watches go in, one transfer sends the
 * whole tree, then each settled batch of changes goes as transfers of only the changed paths, retried while the
 * destination is away. A mirror with several destinations ({@link MirrorSpec#withDestination}) watches once and
 * serves each destination on a thread of its own, so one that is slow or away holds up no other. <pre>{@code
 * try (MirrorHandle mirror = Mirror.start(MirrorSpec.of(TransferSpec.builder().archive().delete()
 *         .source(Path.of("site"), true).destination("rsync://backup.example/www/").build()),
 *         new MirrorListener() {
 *             public void batchSent(MirrorBatch batch) { System.out.println(batch.paths()); }
 *         })) {
 *     ...
 * }
 * }</pre>
 */
public final class Mirror {
    private Mirror() {}

    /**
     * Starts mirroring on a thread of its own and returns at once.
     *
     * @throws IllegalArgumentException when the source is not a local folder
     */
    public static MirrorHandle start(MirrorSpec spec, MirrorListener listener) {
        SessionLog log = new TransferEvents(listener);
        List<StatusTracker> trackers = new ArrayList<>();
        LiveMirror mirror;
        try {
            mirror = LiveMirror.of(spec.options(), log, target -> {
                StatusTracker tracker = new StatusTracker(target, listener);
                trackers.add(tracker);
                SessionLog targetLog = new TransferEvents(listener.transfersTo(target));
                return new TargetMirror.Io(Transfer.of(targetLog, spec.transfer().passwords()::password), targetLog,
                        tracker);
            });
        } catch (RsyncException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().name("jrsync-mirror").daemon().unstarted(() -> {
            String failure = null;
            int code = ExitCode.IPC; // unless it returns or says otherwise
            try {
                code = mirror.run();
            } catch (RsyncException e) {
                failure = e.getMessage();
                code = e.exitCode();
            } catch (RuntimeException e) {
                failure = String.valueOf(e.getMessage());
            } finally {
                for (int i = 0; i < trackers.size(); i++) {
                    trackers.get(i).ended(failure, mirror.targets().get(i).pending());
                }
                exit.complete(code);
            }
        });
        runner.start();
        return new MirrorHandle(runner, mirror.targets(), trackers, exit);
    }

    /** The events of the mirror's transfers, passed on as a transfer's listener hears them. */
    private static final class TransferEvents implements SessionLog {
        private final TransferListener listener;

        TransferEvents(TransferListener listener) {
            this.listener = listener;
        }

        @Override
        public void info(String line) {
            listener.message(new Message(Message.Level.INFO, line));
        }

        @Override
        public void error(String line) {
            listener.message(new Message(Message.Level.ERROR, line));
        }

        @Override
        public void item(ItemEvent item) {
            listener.item(new FileItem(item.name(), item.changes(), item.transferred(), item.significant(),
                    item.localChange(), Optional.ofNullable(item.linkTarget()),
                Optional.ofNullable(item.hardLinkTo()), item.operation(), item.path(), item.mode(), item.size(), item.mtime(),
                item.uid(), item.gid(), item.bytes(), Optional.ofNullable(item.checksum())));
        }

        @Override
        public void progress(dev.jrsync.core.FileProgress p) {
            listener.progress(new FileProgress(p.name(), p.bytes(), p.size(), Duration.ofNanos(p.elapsedNanos()),
                    p.done(), p.transferNumber(), p.remaining(), p.listSize(), p.listsToCome()));
        }

        @Override
        public void deleted(String name) {
            listener.deleted(name);
        }
    }
}
