package dev.jrsync.mirror;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.Message;
import dev.jrsync.api.mirror.Mirror;
import dev.jrsync.api.mirror.MirrorBatch;
import dev.jrsync.api.mirror.MirrorHandle;
import dev.jrsync.api.mirror.MirrorListener;
import dev.jrsync.api.mirror.MirrorSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A mirror in a process of its own, for tests that kill it: {@code jrsync --watch}'s arguments in, one line per
 * event out ({@code full BYTES}, {@code watching}, {@code batch BYTES PATH|PATH...}, {@code item NAME},
 * {@code message LEVEL TEXT}).
 */
public final class MirrorChild {
    private MirrorChild() {}

    public static void main(String[] args) throws InterruptedException {
        MirrorHandle mirror = Mirror.start(MirrorSpec.parse(List.of(args), (user, module) -> null),
                new MirrorListener() {
                    @Override
                    public void fullSyncDone(String target, Duration elapsed, long bytesSent) {
                        print("full " + bytesSent);
                    }

                    @Override
                    public void watching(String target, Path root, int watches, int entries) {
                        print("watching");
                    }

                    @Override
                    public void batchSent(MirrorBatch batch) {
                        print("batch " + batch.bytesSent() + " " + String.join("|", batch.paths()));
                    }

                    @Override
                    public void item(FileItem item) {
                        if (item.transferred()) {
                            print("item " + item.name());
                        }
                    }

                    @Override
                    public void message(Message message) {
                        print("message " + message.level() + " " + message.text());
                    }
                });
        System.exit(mirror.await());
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
