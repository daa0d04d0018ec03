package dev.jrsync.api.mirror;

import dev.jrsync.api.Message;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.mirror.LiveMirror;
import dev.jrsync.mirror.Transfer;

/**
 * Starts live mirrors, as {@code jrsync --watch SRC/ DEST} runs one: the watches go in, one transfer sends the
 * whole tree, then each settled batch of changes goes as transfers of only the changed paths, retried while the
 * destination is away. <pre>{@code
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
        SessionLog log = new SessionLog() {
            @Override
            public void info(String line) {
                listener.message(new Message(Message.Level.INFO, line));
            }

            @Override
            public void error(String line) {
                listener.message(new Message(Message.Level.ERROR, line));
            }
        };
        StatusTracker tracker = new StatusTracker(listener);
        LiveMirror mirror;
        try {
            mirror = LiveMirror.of(spec.options(), Transfer.of(log, spec.transfer().passwords()::password), log,
                    tracker);
        } catch (RsyncException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Thread runner = Thread.ofPlatform().name("jrsync-mirror").daemon().unstarted(() -> {
            String failure = null;
            try {
                mirror.run();
            } catch (RuntimeException e) {
                failure = e.getMessage();
            } finally {
                tracker.ended(failure, mirror.pending());
            }
        });
        runner.start();
        return new MirrorHandle(runner, mirror, tracker);
    }
}
