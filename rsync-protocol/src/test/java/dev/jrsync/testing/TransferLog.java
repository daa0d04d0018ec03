package dev.jrsync.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stock rsync daemon's log file, parsed: one {@link Entry} per transfer-log line written with
 * {@link #LOG_FORMAT}, and one {@link Session} per finished module transfer. Tests read the bytes each file
 * cost on the wire ({@code %b}) from here, because the daemon counts them itself, independent of jrsync.
 */
public record TransferLog(List<Entry> entries, List<Session> sessions) {

    /**
     * The {@code log format} {@link StockDaemon} configures. The file name goes last because it may contain
     * spaces; the itemize string is bracketed because for deletions it contains spaces ("*deleting  ").
     */
    public static final String LOG_FORMAT = "jrsync-xfer %o %b %l [%i] %n";

    /** Every line of a daemon log file: "%t [%p] " then the message (rsync/log.c:logit prefixes this). */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[(\\d+)\\] (.*)$");
    private static final Pattern XFER = Pattern.compile("^jrsync-xfer (\\S+) (\\d+) (\\d+) \\[([^\\]]*)\\] (.*)$");
    /** rsync/clientserver.c:rsync_module logs which module a session serves and in which direction. */
    private static final Pattern MODULE = Pattern.compile("^rsync (to|on) (.+?) from (.+)$");
    /** rsync/log.c:log_exit logs the session's byte counts when it ends. */
    private static final Pattern SUMMARY =
            Pattern.compile("^sent (\\d+) bytes\\s+received (\\d+) bytes\\s+total size (\\d+)$");

    /**
     * One transfer-log line.
     *
     * @param pid       the daemon process serving the session
     * @param operation "recv" (client pushed), "send" (client pulled) or "del."
     * @param bytes     bytes of file data that crossed the wire for this entry (rsync's {@code %b})
     * @param length    the file's length ({@code %l}; for directories the size lstat reports)
     * @param itemize   the 11-character itemize string ({@code %i}), e.g. {@code >f+++++++++}
     * @param name      the name relative to the module, directories with a trailing '/'
     */
    public record Entry(long pid, String operation, long bytes, long length, String itemize, String name) {

        /** True for a regular file (itemize type letter 'f'). */
        public boolean isFile() {
            return itemize.length() > 1 && itemize.charAt(1) == 'f';
        }

        public boolean isDeletion() {
            return operation.equals("del.");
        }
    }

    /**
     * One finished module session.
     *
     * @param push      true when the client uploaded (the daemon received), false for a download
     * @param module    the request as logged, e.g. {@code mod/}
     * @param client    the client as logged, e.g. {@code localhost (127.0.0.1)}
     * @param sent      bytes the daemon wrote to the connection
     * @param received  bytes the daemon read from the connection
     * @param totalSize total size of the files in the transfer
     */
    public record Session(long pid, boolean push, String module, String client, long sent, long received,
                          long totalSize) {
    }

    public TransferLog {
        entries = List.copyOf(entries);
        sessions = List.copyOf(sessions);
    }

    /** Reads and parses a daemon log file; a missing file is an empty log. */
    public static TransferLog read(Path logFile) {
        try {
            return Files.exists(logFile) ? parse(Files.readAllBytes(logFile)) : parse(new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read daemon log " + logFile, e);
        }
    }

    /**
     * Parses a daemon log. Lines that are neither transfer entries nor session bookkeeping (connects, errors,
     * the listener's own start and exit lines) are ignored; a session counts only once its summary line is
     * written and it served a module, which leaves out port probes.
     */
    public static TransferLog parse(byte[] logBytes) {
        List<Entry> entries = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        Map<Long, Matcher> moduleByPid = new HashMap<>();
        // Sessions in the order they started: a client may exit before its daemon child logs its summary, so a
        // later session can finish first.
        Map<Session, Integer> started = new java.util.IdentityHashMap<>();
        Map<Long, Integer> startByPid = new HashMap<>();
        int lineNo = 0;
        for (String line : new String(logBytes, StandardCharsets.ISO_8859_1).split("\n")) {
            Matcher prefix = LOG_LINE.matcher(line);
            if (!prefix.matches()) {
                continue;
            }
            lineNo++;
            long pid = Long.parseLong(prefix.group(1));
            String message = prefix.group(2);
            Matcher m;
            if ((m = XFER.matcher(message)).matches()) {
                entries.add(new Entry(pid, m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        m.group(4), unescape(m.group(5))));
            } else if ((m = MODULE.matcher(message)).matches()) {
                moduleByPid.put(pid, m);
                startByPid.put(pid, lineNo);
            } else if ((m = SUMMARY.matcher(message)).matches() && moduleByPid.containsKey(pid)) {
                Matcher module = moduleByPid.remove(pid);
                Session session = new Session(pid, module.group(1).equals("to"), unescape(module.group(2)),
                        unescape(module.group(3)), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)));
                sessions.add(session);
                started.put(session, startByPid.remove(pid));
            }
        }
        sessions.sort(java.util.Comparator.comparing(started::get));
        return new TransferLog(entries, sessions);
    }

    /**
     * Turns the ISO-8859-1 view of a logged name back into its bytes, expanding rsync's {@code \#ooo} octal
     * escapes for unprintable bytes (rsync/log.c:filtered_fwrite), and decodes them as UTF-8.
     */
    static String unescape(String latin1) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(latin1.length());
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c == '\\' && i + 1 < latin1.length() && latin1.charAt(i + 1) == '#'
                    && isOctal(latin1, i + 2, 3)) {
                bytes.write(Integer.parseInt(latin1.substring(i + 2, i + 5), 8));
                i += 4;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** The last entry for {@code name} (as logged: directories end in '/'), if any. */
    public Optional<Entry> find(String name) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).name().equals(name)) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    /** The last entry for {@code name}; fails the test, listing the logged names, when there is none. */
    public Entry entry(String name) {
        return find(name).orElseThrow(() -> new AssertionError("daemon transfer log has no entry for '" + name
                + "'; logged: " + entries.stream().map(Entry::name).toList()));
    }

    /** Entries for regular files. */
    public List<Entry> files() {
        return entries.stream().filter(Entry::isFile).toList();
    }

    /** Sum of {@code %b} over all entries: file data bytes on the wire as the daemon counted them. */
    public long totalBytes() {
        return entries.stream().mapToLong(Entry::bytes).sum();
    }

    /** Sum of {@code %l} over regular-file entries: the size of the files that were transferred. */
    public long totalFileLength() {
        return files().stream().mapToLong(Entry::length).sum();
    }

    /** This log restricted to one session's entries (by daemon pid). */
    public TransferLog of(Session session) {
        return new TransferLog(entries.stream().filter(e -> e.pid() == session.pid()).toList(), List.of(session));
    }

    /** The finished session that started last; fails the test when none has finished. */
    public Session lastSession() {
        if (sessions.isEmpty()) {
            throw new AssertionError("daemon log has no finished module session");
        }
        return sessions.getLast();
    }
}
