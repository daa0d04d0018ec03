package dev.jrsync.cli;

import dev.jrsync.api.Transport;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.SocketChild;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code RSYNC_CONNECT_PROG} ({@code rsync/socket.c:open_socket_out_wrapped}): a shell command the user names,
 * with {@code %H} the host and {@code %%} a percent sign, run with a socket for its stdin and stdout; the daemon
 * session then goes over that socket instead of a TCP connection to the host.
 */
final class ConnectProgram {
    private ConnectProgram() {}

    /** Starts {@code template} for {@code host} and returns the transport its socket makes. */
    static Transport start(String template, String host) {
        String command = command(template, host);
        SocketChild child;
        try {
            child = SocketChild.start(command);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, "rsync: cannot run RSYNC_CONNECT_PROG \"" + command + "\": "
                    + Posix.describe(e));
        }
        OutputStream out = new BufferedOutputStream(child.output(), 64 << 10);
        return new Transport() {
            @Override
            public InputStream in() {
                return child.input();
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void close() {
                child.close();
            }
        };
    }

    /**
     * The command for {@code host} (rsync 3.5's {@code open_socket_out_wrapped}): with a {@code %} in the template,
     * a host of anything but letters, digits and {@code ._:-%+~} (or one that starts like an option) is refused,
     * since a template may hand {@code %H} to a nested shell where quoting no longer holds; the host goes in
     * single quotes.
     */
    static String command(String template, String host) {
        if (template.indexOf('%') < 0) {
            return template;
        }
        if (host.isEmpty() || "-+~%".indexOf(host.charAt(0)) >= 0
                || !host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "._:-%+~".indexOf(c) >= 0))) {
            throw new RsyncException(ExitCode.SOCKET_IO, "unsafe host characters for RSYNC_CONNECT_PROG");
        }
        String quoted = "'" + host.replace("'", "'\\''") + "'";
        StringBuilder command = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length() && (template.charAt(i + 1) == 'H' || template.charAt(i + 1) == '%')) {
                command.append(template.charAt(++i) == 'H' ? quoted : "%");
            } else {
                command.append(c);
            }
        }
        return command.toString();
    }
}
