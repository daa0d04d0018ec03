package dev.jrsync.daemon;

import dev.jrsync.flist.IdNames;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.TransferStats;
import java.util.List;

/**
 * A role the daemon plays once the protocol is set up and multiplexing is on. The pull side is
 * {@link ServerSender}; the push side (generator + receiver, {@code rsync/main.c:do_server_recv}) is
 * {@link ServerReceiver}, called only for modules that accept uploads.
 */
@FunctionalInterface
public interface ServerRole {
    /**
     * Everything a role needs: the multiplexed connection, the parsed client options, the module, the identity
     * the session runs under, the module's filter rules (read before any chroot), the names of ids as the module
     * gives them (none with {@code numeric ids}, else its {@code name converter} or the account database), and
     * {@code abort}, which unblocks a role thread waiting on the client while the connection stays open for the
     * error message. {@code dirs} is the module root pinned before the session gave up root's rights (a module
     * below a directory only root may search is still served), for the sender to list sources beneath.
     */
    record Context(Connection conn, SessionParams params, Options options, ModuleConfig module, ModulePaths paths,
                   List<String> pathArgs, ModuleIdentity identity, ModuleFilter filter, IdNames idNames,
                   ConfinedDirs dirs, Runnable abort) {}

    /** What the role did, for the daemon's log line. */
    record Outcome(TransferStats stats, int ioError) {}

    /**
     * Runs the role to its end; failures are thrown as {@link dev.jrsync.core.RsyncException}, whose
     * message the daemon sends to the client before the error exit.
     */
    Outcome run(Context ctx);
}
