package dev.jrsync.session;

/**
 * How a deletion is told ({@code rsync/log.c:log_delete}): a client prints it with -v or -i; a daemon
 * sends it to its client as MSG_DELETED, which prints it by its own options, and logs it.
 */
@FunctionalInterface
public interface DeletionReporter {
    void deleted(String rel, boolean isDir);

    /** A server's report: MSG_DELETED to its client, a directory's name ending in a NUL. */
    static void toClient(Connection conn, String rel, boolean isDir) {
        byte[] name = dev.jrsync.core.PathBytes.bytes(rel);
        conn.send(dev.jrsync.wire.MsgCode.DELETED, isDir ? java.util.Arrays.copyOf(name, name.length + 1) : name);
    }
}
