package dev.jrsync.cli.events;

import dev.jrsync.core.PathBytes;
import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.Inotify;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.EngineOptions;
import dev.jrsync.watcher.tree.EventLoop;
import dev.jrsync.watcher.tree.EventSink;
import dev.jrsync.watcher.tree.PathFilter;
import dev.jrsync.watcher.tree.TreeEvent;
import dev.jrsync.watcher.tree.WatchEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code jrsync events}: inotifywait's command line and output (and, with {@code --stats}, inotifywatch's). Exit
 * codes as inotifywait: 0 an asked-for event came, 1 another event or an error, 2 the timeout passed.
 */
public final class EventsCommand {
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILURE = 1;
    private static final int EXIT_TIMEOUT = 2;
    private static final int POLL_MILLIS = 200;

    private EventsCommand() {}

    /** Runs the command; {@code args} exclude the word "events". Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        EventsArgs a;
        try {
            a = EventsArgs.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jrsync events: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (a.help) {
            out.print(a.stats ? HelpText.STATS : HelpText.WAIT);
            return EXIT_FAILURE;
        }
        a.warnings.forEach(err::println);
        try {
            return a.stats ? new StatsRun(a, out, err).run() : new WaitRun(a, out, err).run();
        } catch (UsageException e) {
            err.println(e.getMessage());
            return EXIT_FAILURE;
        }
    }

    /** An error inotifywait reports in one line before exiting with 1. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static PathFilter filter(EventsArgs a, Set<String> prunedDirs) throws UsageException {
        try {
            PathFilter f = PathFilter.none();
            if (a.exclude != null || a.excludei != null) {
                f = a.exclude != null ? PathFilter.exclude(a.exclude, false) : PathFilter.exclude(a.excludei, true);
            } else if (a.include != null || a.includei != null) {
                f = a.include != null ? PathFilter.include(a.include, false) : PathFilter.include(a.includei, true);
            }
            return f.withPrunedDirs(prunedDirs);
        } catch (IllegalArgumentException e) {
            boolean exclude = a.exclude != null || a.excludei != null;
            throw new UsageException("Error in `" + (exclude ? "exclude" : "include") + "' regular expression.");
        }
    }

    /** Watched files from --fromfile and the arguments; {@code @path} entries go to {@code excluded}. */
    static List<String> files(EventsArgs a, Set<String> excluded) throws UsageException {
        List<String> names = new ArrayList<>();
        if (a.fromfile != null) {
            try {
                // one name a line, as bytes: a name need not be UTF-8
                byte[] list = a.fromfile.equals("-") ? System.in.readAllBytes()
                        : Files.readAllBytes(PathBytes.path(a.fromfile));
                int start = 0;
                for (int i = 0; i <= list.length; i++) {
                    if (i == list.length ? i > start : list[i] == '\n') {
                        int end = i > start && list[i - 1] == '\r' ? i - 1 : i;
                        names.add(PathBytes.text(Arrays.copyOfRange(list, start, end)));
                        start = i + 1;
                    }
                }
            } catch (IOException e) {
                throw new UsageException("Couldn't open " + a.fromfile + ": " + e.getMessage());
            }
        }
        names.addAll(a.files);
        List<String> watch = new ArrayList<>();
        for (String n : names) {
            if (n.isEmpty() || n.equals("@")) {
                continue;
            }
            if (n.startsWith("@")) {
                excluded.add(n.substring(1));
            } else {
                watch.add(n);
            }
        }
        if (watch.isEmpty()) {
            throw new UsageException("No files specified to watch!");
        }
        return watch;
    }

    static Inotify openInotify() throws UsageException {
        try {
            return Inotify.open();
        } catch (ErrnoException e) {
            String msg = "Couldn't initialize inotify: " + e.reason();
            if (e.errno() == ErrnoException.EMFILE) {
                msg += "\nTry increasing the value of /proc/sys/fs/inotify/max_user_instances\n"
                        + InotifyLimits.read().instanceLimitMessage();
            }
            throw new UsageException(msg);
        }
    }

    /** The engine both modes run: {@code followNew} adds watches for directories created later. */
    static WatchEngine engine(Inotify inotify, int mask, boolean followNew, EventsArgs a, PathFilter filter,
                              EventSink sink, PrintStream err) {
        EngineOptions options = new EngineOptions(mask, a.recursive, followNew, filter,
                EngineOptions.DEFAULT_MOVE_WINDOW_NANOS, EngineOptions.DEFAULT_RESCAN_NANOS, err::println);
        return new WatchEngine(inotify, options, sink, InotifyLimits.read());
    }

    /** Establishes the watches, reporting a failure as inotifywait words it. */
    static void watchAll(WatchEngine engine, List<String> files, String verb) throws UsageException {
        for (String f : files) {
            try {
                engine.watch(f, System.nanoTime());
            } catch (ErrnoException e) {
                throw new UsageException(verb + " " + f + ": " + e.reason());
            } catch (IOException e) {
                throw new UsageException(verb + " " + f + ": " + e.getMessage());
            }
        }
    }

    /** inotifywait proper: print events until the first (or, with -m, until the timeout). */
    private static final class WaitRun {
        private final EventsArgs a;
        private final PrintStream out;
        private final PrintStream err;

        WaitRun(EventsArgs a, PrintStream out, PrintStream err) {
            this.a = a;
            this.out = out;
            this.err = err;
        }

        int run() throws UsageException {
            Set<String> excluded = new HashSet<>();
            List<String> files = files(a, excluded);
            PathFilter filter = filter(a, excluded);
            if (a.syslog) {
                err.println("jrsync events: syslog is not supported; messages go to standard error");
            }
            if (a.daemon) {
                err.println("jrsync events: -d runs in the foreground (a JVM cannot fork); events go to " + a.outfile);
            }
            PrintStream sink = a.outfile == null ? out : openOutfile(a.outfile);
            int orig = a.events == 0 ? InotifyMask.ALL_EVENTS : a.events;
            int mask = orig | (a.noDereference ? InotifyMask.DONT_FOLLOW : 0);
            ArrayDeque<TreeEvent> queue = new ArrayDeque<>();
            try (Inotify inotify = openInotify()) {
                WatchEngine engine = engine(inotify, mask, a.monitor && a.recursive, a, filter, queue::add, err);
                if (a.quiet == 0) {
                    err.println(a.recursive ? "Setting up watches.  Beware: since -r was given, this may take a while!"
                            : "Setting up watches.");
                }
                watchAll(engine, files, "Couldn't watch");
                if (a.quiet == 0) {
                    err.println("Watches established.");
                }
                if (a.timeoutSeconds < 0) {
                    throw new UsageException("Negative timeout specified - abort!");
                }
                return loop(new EventLoop(inotify, engine), queue, filter, orig, sink);
            } catch (ErrnoException e) {
                err.println(e.reason());
                return EXIT_FAILURE;
            } finally {
                if (sink != out) {
                    sink.close();
                }
            }
        }

        private int loop(EventLoop loop, ArrayDeque<TreeEvent> queue, PathFilter filter, int orig, PrintStream sink)
                throws ErrnoException {
            long timeoutNanos = a.timeoutSeconds * 1_000_000_000L;
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                long left = deadline - System.nanoTime();
                if (timeoutNanos > 0 && left <= 0) {
                    return EXIT_TIMEOUT;
                }
                int wait = timeoutNanos > 0 ? (int) Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)) : POLL_MILLIS;
                loop.runOnce(wait);
                if (!queue.isEmpty()) {
                    deadline = System.nanoTime() + timeoutNanos;
                }
                for (TreeEvent e = queue.poll(); e != null; e = queue.poll()) {
                    if (filter.rejects(e.path())) {
                        continue;
                    }
                    if (a.quiet < 2 && (e.mask() & orig) != 0) {
                        // names as their bytes, as inotifywait prints them
                        sink.writeBytes(PathBytes.bytes(line(e)));
                        sink.flush();
                    }
                    if (!a.monitor) {
                        return (e.mask() & orig) != 0 ? EXIT_OK : EXIT_FAILURE;
                    }
                }
            }
        }

        private String line(TreeEvent e) {
            if (a.csv) {
                return EventFormatter.csv(e);
            }
            String fmt = a.format == null ? EventFormatter.DEFAULT_FORMAT : a.format;
            String time = a.timefmt == null ? "" : StrfTime.format(a.timefmt, System.currentTimeMillis() / 1000);
            return EventFormatter.format(e, fmt, time);
        }

        private static PrintStream openOutfile(String outfile) throws UsageException {
            try {
                Path p = PathBytes.path(outfile);
                if (!Files.exists(p)) {
                    Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                return new PrintStream(Files.newOutputStream(p, StandardOpenOption.APPEND), false,
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("Failed to open output file " + outfile);
            }
        }
    }

    /** inotifywatch: count events per watch until the timeout (or shutdown), then print the table. */
    private static final class StatsRun {
        private final EventsArgs a;
        private final PrintStream out;
        private final PrintStream err;

        StatsRun(EventsArgs a, PrintStream out, PrintStream err) {
            this.a = a;
            this.out = out;
            this.err = err;
        }

        int run() throws UsageException {
            Set<String> excluded = new HashSet<>();
            List<String> files = files(a, excluded);
            PathFilter filter = filter(a, excluded);
            int events = a.events == 0 ? InotifyMask.ALL_EVENTS : a.events;
            StatsTable table = new StatsTable(events);
            try (Inotify inotify = openInotify()) {
                int mask = events | (a.noDereference ? InotifyMask.DONT_FOLLOW : 0);
                WatchEngine engine = engine(inotify, mask, a.recursive, a, filter, e -> {
                    if (!e.synthetic() && !filter.rejects(e.path())) {
                        synchronized (table) {
                            table.record(e);
                        }
                    }
                }, err);
                err.println("Establishing watches...");
                watchAll(engine, files, "Failed to watch");
                registerInWdOrder(table, engine);
                if (a.verbose) {
                    err.println("Total of " + engine.watchCount() + " watches.");
                }
                err.println("Finished establishing watches, now collecting statistics.");
                if (a.timeoutSeconds < 0) {
                    throw new UsageException("Negative timeout specified - abort!");
                }
                if (a.timeoutSeconds > 0 && a.verbose) {
                    err.println("Will listen for events for " + a.timeoutSeconds + " seconds.");
                }
                Thread printer = new Thread(() -> print(table));
                if (a.timeoutSeconds == 0) {
                    Runtime.getRuntime().addShutdownHook(printer);
                }
                EventLoop loop = new EventLoop(inotify, engine);
                long end = System.nanoTime() + a.timeoutSeconds * 1_000_000_000L;
                while (a.timeoutSeconds == 0 || end - System.nanoTime() > 0) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    loop.runOnce(a.timeoutSeconds == 0 ? POLL_MILLIS : (int) Math.max(1, Math.min(POLL_MILLIS, left)));
                }
                print(table);
                return EXIT_OK;
            } catch (ErrnoException e) {
                err.println(e.reason());
                return EXIT_FAILURE;
            }
        }

        /**
         * Ties in inotifywatch's table go by watch descriptor, and inotifytools watches a tree bottom-up:
         * each directory's subdirectories (in readdir order) before the directory itself.
         */
        private static void registerInWdOrder(StatsTable table, WatchEngine engine) {
            Set<String> watched = new HashSet<>();
            List<String> established = new ArrayList<>();
            for (int wd = 1; wd <= engine.watchCount(); wd++) {
                String p = engine.pathOf(wd);
                if (!p.isEmpty() && watched.add(p)) {
                    established.add(p);
                }
            }
            Set<String> registered = new HashSet<>();
            for (String p : established) {
                registerBottomUp(table, p, watched, registered);
            }
        }

        private static void registerBottomUp(StatsTable table, String dir, Set<String> watched, Set<String> registered) {
            if (!registered.add(dir)) {
                return;
            }
            try (java.util.stream.Stream<Path> children = Files.list(PathBytes.path(dir))) {
                for (Path c : children.toList()) {
                    String name = PathBytes.text(c.getFileName());
                    String child = dir.endsWith("/") ? dir + name + "/" : dir + "/" + name + "/";
                    if (watched.contains(child)) {
                        registerBottomUp(table, child, watched, registered);
                    }
                }
            } catch (IOException e) {
                // a directory gone since it was watched: its row keeps the place it had
            }
            table.addWatch(dir);
        }

        private void print(StatsTable table) {
            synchronized (table) {
                if (table.isEmpty()) {
                    err.println("No events occurred.");
                } else {
                    out.writeBytes(PathBytes.bytes(table.render(a.sort, a.zero)));
                }
                out.flush();
            }
        }
    }
}
