package dev.jrsync.watcher.bench;

import dev.jrsync.watcher.inotify.Inotify;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.EngineOptions;
import dev.jrsync.watcher.tree.EventLoop;
import dev.jrsync.watcher.tree.PathFilter;
import dev.jrsync.watcher.tree.WatchEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures for the watcher against inotifywait on the same tree: time to watch a 10,000-directory tree, and how
 * fast a backlog of queued events is drained (the reader is held while the events are made, then let go).
 * Run: java --enable-native-access=ALL-UNNAMED -cp watcher/target/classes:watcher/target/test-classes
 * dev.jrsync.watcher.bench.WatcherFigures
 */
public final class WatcherFigures {
    private static final int DIRS_PER_LEVEL = 100;
    /** Stays below the default fs.inotify.max_queued_events (16384) so no overflow cuts the backlog. */
    private static final int FILES = 6_000;
    private static final int EVENTS = FILES * 2;

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("jrsync-figures");
        Path tree = tmp.resolve("tree");
        for (int i = 0; i < DIRS_PER_LEVEL; i++) {
            for (int j = 0; j < DIRS_PER_LEVEL - 1; j++) {
                Files.createDirectories(tree.resolve("d" + i + "/e" + j));
            }
        }
        System.out.println("tree: " + (DIRS_PER_LEVEL * DIRS_PER_LEVEL + 1) + " directories");
        for (int round = 0; round < 3; round++) {
            System.out.printf("watch tree: jrsync %.1f ms, inotifywait %.1f ms%n", oursWatch(tree), theirsWatch(tree));
        }
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (int round = 0; round < 2; round++) {
            System.out.printf("drain %d queued events: jrsync %.0f events/s, inotifywait %.0f events/s%n", EVENTS,
                    oursDrain(flat, round), theirsDrain(flat, round));
        }
    }

    private static WatchEngine engine(Inotify inotify, AtomicLong count) {
        EngineOptions o = new EngineOptions(InotifyMask.CREATE | InotifyMask.CLOSE_WRITE, true, true,
                PathFilter.none(), EngineOptions.DEFAULT_MOVE_WINDOW_NANOS, EngineOptions.DEFAULT_RESCAN_NANOS,
                System.err::println);
        return new WatchEngine(inotify, o, e -> count.incrementAndGet(), InotifyLimits.read());
    }

    private static double oursWatch(Path tree) throws Exception {
        try (Inotify inotify = Inotify.open()) {
            WatchEngine engine = engine(inotify, new AtomicLong());
            long t0 = System.nanoTime();
            engine.watch(tree.toString(), t0);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (engine.watchCount() != DIRS_PER_LEVEL * DIRS_PER_LEVEL + 1) {
                throw new IllegalStateException("watched " + engine.watchCount());
            }
            return ms;
        }
    }

    /** From process start to "Watches established." (includes its exec, a few milliseconds). */
    private static double theirsWatch(Path tree) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("inotifywait", "-m", "-r", "-e", "create", tree.toString()).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream()))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.startsWith("Watches established")) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            }
            throw new IllegalStateException("inotifywait did not establish its watches");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static void makeEvents(Path dir, int round) throws Exception {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(dir.resolve("r" + round + "-" + i), "x");
        }
    }

    private static double oursDrain(Path dir, int round) throws Exception {
        try (Inotify inotify = Inotify.open()) {
            AtomicLong count = new AtomicLong();
            WatchEngine engine = engine(inotify, count);
            engine.watch(dir.toString(), System.nanoTime());
            makeEvents(dir, round * 2);
            EventLoop loop = new EventLoop(inotify, engine);
            long t0 = System.nanoTime();
            long end = t0 + 20_000_000_000L;
            while (count.get() < EVENTS && System.nanoTime() < end) {
                loop.runOnce(200);
            }
            return count.get() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double theirsDrain(Path dir, int round) throws Exception {
        Process p = new ProcessBuilder("inotifywait", "-m", "-e", "create,close_write", dir.toString()).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream()));
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            while (!String.valueOf(err.readLine()).startsWith("Watches established")) {
                Thread.onSpinWait();
            }
            signal("STOP", p.pid());
            makeEvents(dir, round * 2 + 1);
            long t0 = System.nanoTime();
            signal("CONT", p.pid());
            int lines = 0;
            while (lines < EVENTS && out.readLine() != null) {
                lines++;
            }
            return lines / ((System.nanoTime() - t0) / 1e9);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }
}
