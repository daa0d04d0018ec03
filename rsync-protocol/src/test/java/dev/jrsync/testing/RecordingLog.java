package dev.jrsync.testing;

import dev.jrsync.core.SessionLog;
import java.util.ArrayList;
import java.util.List;

/** A session log that keeps every line, errors prefixed "ERR ", for tests to search and to show on failure. */
public final class RecordingLog implements SessionLog {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String line) {
        lines.add(line);
    }

    @Override
    public synchronized void error(String line) {
        lines.add("ERR " + line);
    }

    /** The lines so far, in order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized void clear() {
        lines.clear();
    }

    /** The lines so far, one per line: a failure message. */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    @Override
    public String toString() {
        return text();
    }
}
