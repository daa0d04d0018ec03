package dev.jrsync.client;

/**
 * A daemon location from the command line: {@code rsync://[USER@]HOST[:PORT]/MODULE/PATH} or
 * {@code [USER@]HOST::MODULE/PATH} ({@code rsync/main.c:check_for_hostspec}). An empty module means
 * "list the modules".
 */
public record DaemonAddress(String user, String host, int port, String module, String path) {
    public static final int DEFAULT_PORT = 873;

    /** True when the argument names a daemon rather than a local path. */
    public static boolean isDaemonArg(String arg) {
        return arg.startsWith("rsync://") || hostSpecEnd(arg) > 0;
    }

    /** Parses a daemon argument; {@code defaultPort} applies when the URL has none (--port). */
    public static DaemonAddress parse(String arg, int defaultPort) {
        String user = null;
        String hostPart;
        String rest;
        int port = defaultPort;
        if (arg.startsWith("rsync://")) {
            String s = arg.substring("rsync://".length());
            int slash = s.indexOf('/');
            hostPart = slash < 0 ? s : s.substring(0, slash);
            rest = slash < 0 ? "" : s.substring(slash + 1);
            int at = hostPart.lastIndexOf('@');
            if (at >= 0) {
                user = hostPart.substring(0, at);
                hostPart = hostPart.substring(at + 1);
            }
            if (hostPart.startsWith("[")) {
                int close = hostPart.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("bad IPv6 address in " + arg);
                }
                String tail = hostPart.substring(close + 1);
                if (tail.startsWith(":") && tail.length() > 1) {
                    port = parsePort(tail.substring(1), arg);
                }
                hostPart = hostPart.substring(1, close);
            } else {
                int colon = hostPart.lastIndexOf(':');
                if (colon >= 0) {
                    if (colon + 1 < hostPart.length()) {
                        port = parsePort(hostPart.substring(colon + 1), arg);
                    }
                    hostPart = hostPart.substring(0, colon);
                }
            }
        } else {
            int end = hostSpecEnd(arg);
            if (end <= 0) {
                throw new IllegalArgumentException("not a daemon address: " + arg);
            }
            hostPart = arg.substring(0, end);
            rest = arg.substring(end + 2);
            int at = hostPart.lastIndexOf('@');
            if (at >= 0) {
                user = hostPart.substring(0, at);
                hostPart = hostPart.substring(at + 1);
            }
            if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
                hostPart = hostPart.substring(1, hostPart.length() - 1);
            }
        }
        if (hostPart.isEmpty()) {
            throw new IllegalArgumentException("no host name in " + arg);
        }
        return new DaemonAddress(user, hostPart, port, "", "").at(rest);
    }

    /** The same daemon at {@code rest}, "MODULE/PATH" (a further source given as "::MODULE/PATH"). */
    public DaemonAddress at(String rest) {
        int slash = rest.indexOf('/');
        String module = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        return new DaemonAddress(user, host, port, module, path);
    }

    /** Index of the "::" that ends a host spec, or -1 (a "::" after a '/' belongs to a local path). */
    private static int hostSpecEnd(String arg) {
        int dc = arg.indexOf("::");
        if (dc <= 0) {
            return -1;
        }
        int slash = arg.indexOf('/');
        if (slash >= 0 && slash < dc) {
            return -1;
        }
        return dc;
    }

    private static int parsePort(String s, String arg) {
        try {
            int p = Integer.parseInt(s);
            if (p <= 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port number in " + arg);
        }
    }

    /** The user name sent in the auth reply: from the URL, else $USER / $LOGNAME, else "nobody". */
    public String authUser() {
        if (user != null && !user.isEmpty()) {
            return user;
        }
        for (String var : new String[] {"USER", "LOGNAME"}) {
            String v = System.getenv(var);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "nobody";
    }

    /** The path argument sent to the daemon: "module/path" ({@code rsync/clientserver.c:start_inband_exchange}). */
    public String remoteArg() {
        return module + "/" + path;
    }
}
