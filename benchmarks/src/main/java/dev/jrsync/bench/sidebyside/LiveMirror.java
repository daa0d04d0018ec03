package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Change-to-replica latency of a live mirror: one small file rewritten {@code rewrites} times, each
 * version waited for in the replica (bounded), with the same size every time so a size+mtime quick
 * check cannot tell the versions apart. A version that never shows up is a lost update.
 */
final class LiveMirror {
    private static final long WAIT_MILLIS = 5_000;

    /** Latencies of the versions that arrived, and how many never did. */
    record Outcome(String mirror, long[] micros, int lost) {
        String row() {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "| %s | %d | %s | %s | %d |", mirror, micros.length + lost,
                    ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), lost);
        }

        private static long percentile(long[] sorted, int p) {
            return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
        }

        private static String ms(long micros) {
            return micros < 0 ? "–" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
    }

    private LiveMirror() {}

    /**
     * Starts {@code command} mirroring {@code src} into {@code dst}, waits for its initial sync, then times
     * the rewrites; the mirror process is stopped afterwards.
     */
    static Outcome measure(String name, List<String> command, Path src, Path dst, int rewrites, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(src);
        Files.createDirectories(dst);
        Files.writeString(src.resolve("ready"), "ready\n");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!await(dst.resolve("ready"), "ready\n", 60_000)) {
                throw new IOException(name + " did not finish its initial sync within 60 s; see " + log);
            }
            Path file = src.resolve("hot.txt");
            List<Long> micros = new ArrayList<>();
            int lost = 0;
            for (int i = 1; i <= rewrites; i++) {
                String content = String.format(Locale.ROOT, "version %04d\n", i);
                long start = System.nanoTime();
                Files.writeString(file, content);
                if (await(dst.resolve("hot.txt"), content, WAIT_MILLIS)) {
                    micros.add((System.nanoTime() - start) / 1000);
                } else {
                    lost++;
                }
            }
            return new Outcome(name, micros.stream().mapToLong(Long::longValue).toArray(), lost);
        } finally {
            // The script's inotifywait and rsync are the shell's children: stop them before their parent.
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            for (ProcessHandle c : children) {
                c.onExit().completeOnTimeout(c, 5, TimeUnit.SECONDS).join();
                c.destroyForcibly();
            }
        }
    }

    /** Polls {@code file} every 0.2 ms until it holds {@code content}, up to {@code millis}. */
    private static boolean await(Path file, String content, long millis) throws IOException, InterruptedException {
        byte[] want = content.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            try {
                if (Arrays.equals(Files.readAllBytes(file), want)) {
                    return true;
                }
            } catch (NoSuchFileException notYet) {
                // not there yet
            }
            Thread.sleep(0, 200_000);
        }
        return false;
    }

    /** lsyncd's rsync mode with the one-second delay users run it with. */
    static List<String> lsyncd(Path config, Path src, String target) throws IOException {
        Files.writeString(config, "settings { nodaemon = true }\n"
                + "sync { default.rsync, source = \"" + src + "\", target = \"" + target + "\", delay = 1,\n"
                + "       rsync = { archive = true } }\n");
        return List.of("lsyncd", config.toString());
    }

    /** The classic script: every inotify event triggers a full rsync of the tree to {@code target}. */
    static List<String> inotifyScript(Path src, String target) {
        return List.of("bash", "-c", "rsync -a --delete '" + src + "/' '" + target + "'; "
                + "inotifywait -q -m -r -e close_write,create,delete,move --format '%w%f' '" + src + "' | "
                + "while read -r f; do rsync -a --delete '" + src + "/' '" + target + "'; done");
    }
}
