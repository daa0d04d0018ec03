package dev.jrsync.testing;

import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.SessionLog;
import java.util.ArrayList;
import java.util.List;

/**
 * A session log that keeps every line, errors prefixed "ERR ", for tests to search and to show on failure, and the
 * events it is told of.
 */
public final class RecordingLog implements SessionLog {
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final List<ItemEvent> items = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();

    @Override
    public synchronized void info(String line) {
        lines.add(line);
    }

    @Override
    public synchronized void error(String line) {
        lines.add("ERR " + line);
    }

    @Override
    public synchronized void partial(String text) {
        partial.append(text);
    }

    @Override
    public synchronized void item(ItemEvent item) {
        items.add(item);
    }

    @Override
    public synchronized void deleted(String name) {
        deletions.add(name);
    }

    /** The text without line ends so far ({@code --progress}), run together. */
    public synchronized String partialText() {
        return partial.toString();
    }

    public synchronized List<ItemEvent> items() {
        return List.copyOf(items);
    }

    public synchronized List<String> deletions() {
        return List.copyOf(deletions);
    }

    /** The lines so far, in order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized void clear() {
        lines.clear();
        partial.setLength(0);
        items.clear();
        deletions.clear();
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
