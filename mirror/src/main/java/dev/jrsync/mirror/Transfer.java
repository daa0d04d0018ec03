package dev.jrsync.mirror;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import java.util.List;

/** Ordinary jrsync runs from local sources to a destination (a daemon URL or a local folder). */
public interface Transfer {
    /** One run; a push to a daemon goes over {@code greeted} when it is not null. */
    TransferResult run(Options options, List<String> sources, String dest, DaemonClient.Greeted greeted);

    /** Connects to the daemon {@code dest} names, up to its module's {@code @RSYNCD: OK}, ahead of a run. */
    DaemonClient.Greeted greet(Options options, String dest);

    /** jrsync's own transfers, printing to {@code log} and asking {@code credentials} for a module's password. */
    static Transfer of(SessionLog log, Credentials credentials) {
        return new Transfer() {
            @Override
            public TransferResult run(Options o, List<String> sources, String dest, DaemonClient.Greeted greeted) {
                return ClientTransfer.run(o, sources, dest, log, credentials, greeted);
            }

            @Override
            public DaemonClient.Greeted greet(Options o, String dest) {
                return ClientTransfer.greet(o, dest, log, credentials);
            }
        };
    }
}
