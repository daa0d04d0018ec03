package dev.jrsync.session;

/**
 * How a deletion is told ({@code rsync/log.c:log_delete}): a client prints it with -v or -i; a daemon
 * sends it to its client as MSG_DELETED, which prints it by its own options, and logs it.
 */
@FunctionalInterface
public interface DeletionReporter {
    void deleted(String rel, boolean isDir);
}
