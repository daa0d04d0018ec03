package dev.jrsync.cli;

import dev.jrsync.core.SessionLog;

/**
 * Lines with a label in front, an overwritten progress line's too: a mirror's lines when one process mirrors to
 * several destinations, or runs several syncs of a config.
 */
record LabelledLog(SessionLog lines, String label) implements SessionLog {
    @Override
    public void info(String line) {
        lines.info(label + line);
    }

    @Override
    public void error(String line) {
        lines.error(label + line);
    }

    @Override
    public void warning(String line) {
        lines.warning(label + line);
    }

    @Override
    public void partial(String text) {
        lines.partial(text.startsWith("\r") ? "\r" + label + text.substring(1) : label + text);
    }
}
