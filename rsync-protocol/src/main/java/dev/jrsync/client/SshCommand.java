package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@code -e 'ssh ...'} remote shell read as settings of the in-process SSH client: the command rsync's
 * {@code main.c:do_cmd} would run is {@code ssh}, and the options it gives ssh (ssh's own {@code ssh.c:main}
 * parsing, for the few that matter to a connection) are taken instead of running it. An option the client does
 * not know is refused by name: running on without it could reach another host or user than the one meant.
 *
 * @param port           {@code -p}/{@code -o Port=}, or 0 for ~/.ssh/config's, else 22
 * @param user           {@code -l}/{@code -o User=}, or null
 * @param identities     {@code -i}/{@code -o IdentityFile=}, tried before ~/.ssh/config's and the default ones
 * @param strictHostKeys {@code -o StrictHostKeyChecking=}: "yes" (also "ask": jrsync never asks),
 *                       "accept-new" or "no"; null for ~/.ssh/config's, else "yes"
 * @param knownHosts     {@code -o UserKnownHostsFile=}, or null for ~/.ssh/config's, else ~/.ssh/known_hosts
 */
record SshCommand(int port, String user, List<Path> identities, String strictHostKeys, Path knownHosts) {
    /** The settings of a plain {@code ssh}: no -e, or -e with no options. */
    static final SshCommand DEFAULT = new SshCommand(0, null, List.of(), null, null);

    /** Whether a remote shell's program is ssh, which the in-process client stands in for. */
    static boolean isSsh(String program) {
        return program.equals("ssh") || program.endsWith("/ssh");
    }

    /** The settings {@code words} (ssh and its options, as {@link RemoteShell#split} splits -e) give. */
    static SshCommand parse(List<String> words) {
        SshCommand c = DEFAULT;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.length() < 2 || w.charAt(0) != '-') {
                throw unsupported("the argument " + w);
            }
            char letter = w.charAt(1);
            if ("Txaq".indexOf(letter) >= 0 && w.length() == 2) {
                continue; // no tty, X11 or agent forwarding, quiet: what a session over an exec channel is anyway
            }
            if ("pilo".indexOf(letter) < 0) {
                throw unsupported("the option " + w);
            }
            String value;
            if (w.length() > 2) {
                value = w.substring(2);
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new RsyncException(ExitCode.SYNTAX, "jrsync: ssh's option " + w + " needs a value");
            }
            c = switch (letter) {
                case 'p' -> c.withPort(value);
                case 'i' -> c.withIdentity(value);
                case 'l' -> new SshCommand(c.port, value, c.identities, c.strictHostKeys, c.knownHosts);
                default -> c.withOption(value);
            };
        }
        return c;
    }

    /** One {@code -o Key=value} (or {@code Key value}), its key in any case as ssh_config allows. */
    private SshCommand withOption(String option) {
        int sep = option.indexOf('=');
        if (sep < 0) {
            sep = option.indexOf(' ');
        }
        if (sep <= 0) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: ssh's option -o " + option + " has no value");
        }
        String key = option.substring(0, sep).trim();
        String value = option.substring(sep + 1).trim();
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "port" -> withPort(value);
            case "user" -> new SshCommand(port, value, identities, strictHostKeys, knownHosts);
            case "identityfile" -> withIdentity(value);
            case "userknownhostsfile" -> new SshCommand(port, user, identities, strictHostKeys, path(value));
            case "stricthostkeychecking" -> new SshCommand(port, user, identities, strictness(value), knownHosts);
            // jrsync never prompts for a passphrase or a host key, so it always runs as in batch mode
            case "batchmode" -> this;
            default -> throw unsupported("the option -o " + key);
        };
    }

    private SshCommand withPort(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p > 0 && p < 65536) {
                return new SshCommand(p, user, identities, strictHostKeys, knownHosts);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RsyncException(ExitCode.SYNTAX, "jrsync: ssh's port " + value + " is not a port number");
    }

    private SshCommand withIdentity(String file) {
        List<Path> ids = new ArrayList<>(identities);
        ids.add(path(file));
        return new SshCommand(port, user, List.copyOf(ids), strictHostKeys, knownHosts);
    }

    /** A file as ssh names it, "~/" for the user's home. */
    static Path path(String file) {
        return Path.of(file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file);
    }

    /** StrictHostKeyChecking's value as one of "yes", "accept-new" or "no". */
    static String strictness(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "ask" -> "yes";
            case "accept-new" -> "accept-new";
            case "no", "off" -> "no";
            default -> throw new RsyncException(ExitCode.SYNTAX,
                    "jrsync: StrictHostKeyChecking takes yes, ask, accept-new or no, not " + value);
        };
    }

    private static RsyncException unsupported(String what) {
        return new RsyncException(ExitCode.SYNTAX, "jrsync: the in-process ssh client does not support " + what
                + " of -e ssh (it takes -p, -i, -l and -o Port, User, IdentityFile, UserKnownHostsFile, "
                + "StrictHostKeyChecking, BatchMode); -e 'env ssh ...' runs the ssh program instead");
    }
}
