package dev.jrsync.mirror;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Ordinary jrsync runs from local sources to a destination (a daemon URL or a local folder). */
public interface Transfer {
    /** One run; a push to a daemon goes over {@code greeted} when it is not null. */
    TransferResult run(Options options, List<String> sources, String dest, DaemonClient.Greeted greeted);

    /** Connects to the daemon {@code dest} names, up to its module's {@code @RSYNCD: OK}, ahead of a run. */
    DaemonClient.Greeted greet(Options options, String dest);

    /**
     * jrsync's own transfers, printing to {@code log} and asking {@code credentials} for a module's password. A
     * daemon's greeting (its motd) is printed by the first connection that gets through, not by every batch's.
     */
    static Transfer of(SessionLog log, Credentials credentials) {
        AtomicBoolean greeted = new AtomicBoolean();
        return new Transfer() {
            @Override
            public TransferResult run(Options o, List<String> sources, String dest, DaemonClient.Greeted g) {
                TransferResult r = ClientTransfer.run(once(o), sources, dest, log, credentials, g);
                greeted.set(true);
                return r;
            }

            @Override
            public DaemonClient.Greeted greet(Options o, String dest) {
                DaemonClient.Greeted g = ClientTransfer.greet(once(o), dest, log, credentials);
                greeted.set(true);
                return g;
            }

            private Options once(Options o) {
                if (!greeted.get() || o.noMotd()) {
                    return o;
                }
                OptionsBuilder b = o.toBuilder();
                b.noMotd = true;
                return b.build();
            }
        };
    }
}
