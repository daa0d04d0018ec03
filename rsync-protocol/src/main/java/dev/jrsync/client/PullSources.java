package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sources of a pull: the first names the daemon, and every further one must come from the same daemon,
 * written in full ({@code rsync://host/module/path}, {@code host::module/path}) or with the host left out
 * ({@code ::module/path}). All of them travel in one session.
 */
// rsync/main.c:start_client (the remote_argv loop of a pull)
public final class PullSources {
    private PullSources() {}

    /**
     * Parses {@code sources}, the first of which is a daemon address; {@code defaultPort} applies where a URL
     * has none.
     *
     * @throws RsyncException with exit code 1 and rsync's message for a local argument among them, another
     *         host, another port, or a remote-shell form
     */
    public static List<DaemonAddress> parse(List<String> sources, int defaultPort) {
        DaemonAddress first = DaemonAddress.parse(sources.getFirst(), defaultPort);
        List<DaemonAddress> all = new ArrayList<>(List.of(first));
        for (String arg : sources.subList(1, sources.size())) {
            DaemonAddress a;
            if (arg.startsWith("::")) {
                a = first.at(arg.substring(2));
            } else if (arg.startsWith(":")) {
                throw syntax("All source args must use the same hostspec format.");
            } else if (DaemonAddress.isDaemonArg(arg)) {
                a = DaemonAddress.parse(arg, defaultPort);
            } else {
                throw syntax("Unexpected local arg: " + arg
                        + "\nIf arg is a remote file/dir, prefix it with a colon (:).");
            }
            if (!a.host().equals(first.host()) || !Objects.equals(a.user(), first.user())) {
                throw syntax("All source args must come from the same machine.");
            }
            if (a.port() != first.port()) {
                throw syntax("All source args must use the same port number.");
            }
            all.add(a);
        }
        return List.copyOf(all);
    }

    private static RsyncException syntax(String message) {
        return new RsyncException(ExitCode.SYNTAX, message);
    }
}
