package dev.jrsync.cli.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.TreeEvent;
import org.junit.jupiter.api.Test;

class EventFormatterTest {
    private final TreeEvent e = new TreeEvent(InotifyMask.CLOSE_WRITE, 0x1f, "t/a/", "x, y", false);

    @Test
    void formatDirectives() {
        assertEquals("t/a/ CLOSE_WRITE,CLOSE x, y\n", EventFormatter.format(e, EventFormatter.DEFAULT_FORMAT, ""));
        assertEquals("CLOSE_WRITE:CLOSE|t/a/x, y|1f|%|%q|T0\n", EventFormatter.format(e, "%:e|%w%f|%c|%%|%q|%T\n", "T0"));
    }

    @Test
    void csvQuotesWhereNeeded() {
        assertEquals("t/a/,\"CLOSE_WRITE,CLOSE\",\"x, y\"\n", EventFormatter.csv(e));
        assertEquals("Q_OVERFLOW,\n", EventFormatter.csv(new TreeEvent(InotifyMask.Q_OVERFLOW, 0, "", "", false)));
        assertEquals("\"a\"\"b\"", EventFormatter.csvField("a\"b"));
    }
}
