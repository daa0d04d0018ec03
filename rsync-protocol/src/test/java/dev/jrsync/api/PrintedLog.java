package dev.jrsync.api;

import dev.jrsync.core.FileProgress;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.ui.ClientPrinter;

/**
 * For tests that run a role directly: a session log that prints to {@code into} what the command line would print
 * for {@code options}, and hands it the events as well.
 */
public final class PrintedLog implements SessionLog {
    private final SessionLog into;
    private final SessionLog printing;

    private PrintedLog(SessionLog into, Options options) {
        this.into = into;
        this.printing = new ListenerLog(ClientPrinter.of(into, options));
    }

    public static SessionLog of(SessionLog into, Options options) {
        return new PrintedLog(into, options);
    }

    @Override
    public void info(String line) {
        printing.info(line);
    }

    @Override
    public void error(String line) {
        printing.error(line);
    }

    @Override
    public void item(ItemEvent item) {
        into.item(item);
        printing.item(item);
    }

    @Override
    public void progress(FileProgress progress) {
        into.progress(progress);
        printing.progress(progress);
    }

    @Override
    public void deleted(String name) {
        into.deleted(name);
        printing.deleted(name);
    }

    @Override
    public void listed(ListedEntry entry, int humanReadable) {
        printing.listed(entry, humanReadable);
    }
}
