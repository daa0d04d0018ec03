package dev.jrsync.daemon;

import dev.jrsync.core.SessionLog;
import dev.jrsync.session.Connection;
import dev.jrsync.wire.MsgCode;
import java.nio.file.Path;

/**
 * Where a daemon session's messages go ({@code rsync/log.c:rwrite} on a server): once multiplexing is on,
 * to the client as MSG_INFO / MSG_ERROR; errors also to the daemon log. Before that, only to the log
 * (the client is still reading handshake lines). The module's own directory is shown to the client as
 * rsync's chdir'ed daemon shows it: names relative to the module, never the server's absolute path.
 */
final class ClientMessages implements SessionLog {
    private final DaemonLog log;
    private final String prefix;
    private volatile Connection conn;
    private volatile MsgCode errorCode = MsgCode.ERROR;
    private volatile String moduleDir;

    ClientMessages(DaemonLog log, String prefix) {
        this.log = log;
        this.prefix = prefix;
    }

    /** Starts forwarding to the client; called when the server's output is multiplexed. */
    void attach(Connection conn) {
        this.conn = conn;
    }

    /** Hides {@code dir} (the module's real path) from what the client is shown. */
    void hideModuleDir(Path dir) {
        this.moduleDir = dir.toString();
    }

    /** The line as the client is to get it: the module's real path shown as rsync's chdir'ed daemon shows it. */
    private String forClient(String line) {
        String dir = moduleDir;
        return dir == null || !line.contains(dir) ? line : line.replace(dir + "/", "").replace(dir, ".");
    }

    @Override
    public void warning(String line) {
        log.log(prefix + line);
        Connection c = conn;
        if (c != null) {
            c.sendLine(MsgCode.WARNING, forClient(line));
        }
    }

    /** From now on errors go as MSG_ERROR_XFER: failures of single files, which make the client exit 23. */
    void reportTransferErrors() {
        errorCode = MsgCode.ERROR_XFER;
    }

    @Override
    public void info(String line) {
        Connection c = conn;
        if (c != null) {
            c.sendLine(MsgCode.INFO, forClient(line));
        }
    }

    @Override
    public void error(String line) {
        log.log(prefix + line);
        Connection c = conn;
        if (c != null) {
            c.sendLine(errorCode, forClient(line));
        }
    }
}
