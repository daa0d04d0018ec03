package dev.jrsync.api.daemon;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What rsync's daemon command line adds to the configuration ({@code rsync --daemon --port=N --address=ADDR
 * --log-file=FILE --max-alloc=SIZE}); each one left empty keeps the configuration's own setting.
 *
 * @param port     the port {@link Daemon#listen()} binds, in place of rsyncd.conf's {@code port} (873 without
 *                 either)
 * @param address  the address it binds, in place of rsyncd.conf's {@code address} (every address without either)
 * @param logFile  the daemon's log, in place of rsyncd.conf's {@code log file}
 * @param console  where log lines go when there is no log file (or it cannot be opened); empty: nowhere
 * @param maxAlloc the most one session may allocate for what a client announces; empty: jrsync's default
 * @param tls      TLS for every connection ({@code --tls-cert}, {@code --tls-key}); empty: none
 */
public record DaemonOptions(OptionalInt port, Optional<String> address, Optional<Path> logFile,
                            Optional<PrintStream> console, OptionalLong maxAlloc, Optional<Tls> tls) {
    /** The configuration as it is. */
    public static final DaemonOptions NONE = new DaemonOptions(OptionalInt.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty());

    /**
     * The daemon's TLS identity, as an stunnel in front of rsyncd would hold it.
     *
     * @param certificate its certificate chain, PEM
     * @param key         the certificate's private key, PEM (PKCS#8, unencrypted)
     */
    public record Tls(Path certificate, Path key) {
        public Tls {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    public DaemonOptions {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(maxAlloc, "maxAlloc");
        Objects.requireNonNull(tls, "tls");
    }
}
