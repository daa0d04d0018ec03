package dev.jrsync.daemon;

import dev.jrsync.session.Connection;
import dev.jrsync.session.SessionLog;
import dev.jrsync.wire.MsgCode;

/**
 * Where a daemon session's messages go ({@code rsync/log.c:rwrite} on a server): once multiplexing is on,
 * to the client as MSG_INFO / MSG_ERROR; errors also to the daemon log. Before that, only to the log
 * (the client is still reading handshake lines).
 */
final class ClientMessages implements SessionLog {
    private final DaemonLog log;
    private final String prefix;
    private volatile Connection conn;
    private volatile MsgCode errorCode = MsgCode.ERROR;

    ClientMessages(DaemonLog log, String prefix) {
        this.log = log;
        this.prefix = prefix;
    }

    /** Starts forwarding to the client; called when the server's output is multiplexed. */
    void attach(Connection conn) {
        this.conn = conn;
    }

    /** From now on errors go as MSG_ERROR_XFER: failures of single files, which make the client exit 23. */
    void reportTransferErrors() {
        errorCode = MsgCode.ERROR_XFER;
    }

    @Override
    public void info(String line) {
        Connection c = conn;
        if (c != null) {
            c.sendText(MsgCode.INFO, line + "\n");
        }
    }

    @Override
    public void error(String line) {
        log.log(prefix + line);
        Connection c = conn;
        if (c != null) {
            c.sendText(errorCode, line + "\n");
        }
    }
}
