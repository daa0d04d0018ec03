package dev.jrsync.daemon;

import dev.jrsync.filter.WildMatch;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * {@code hosts allow} / {@code hosts deny} ({@code rsync/access.c:allow_access}, {@code access_match}):
 * an allow-list match always admits; an allow-list without a deny-list refuses everything else; a
 * deny-list match refuses; anything else is admitted.
 *
 * <p>Each word (lists split at spaces, tabs and commas, compared without case) is tried as a host name,
 * then as an address. As a name ({@code match_hostname}) it is matched with wildcards against the client's
 * forward-confirmed reverse name ({@link ClientName}); with {@code forward lookup} on, a plain name is also
 * looked up and matches when one of its addresses is the client's, and a deny-list name that does not
 * resolve counts as a match: the daemon cannot prove the client is not that host, so it fails closed. As an
 * address ({@code match_address}) it is an IP address, {@code addr/bits} or {@code addr/netmask}; and, beyond
 * rsync, a wildcard pattern is also matched against the address text ({@code 10.0.*}).
 */
public final class HostAccess {
    /** The decision, and the host name to log: a forward-matched name replaces "UNDETERMINED", as in rsync. */
    record Verdict(boolean allowed, String host) {}

    private final InetAddress client;
    private final boolean forwardLookup;
    private String host;

    private HostAccess(InetAddress client, String host, boolean forwardLookup) {
        this.client = client;
        this.host = host;
        this.forwardLookup = forwardLookup;
    }

    /**
     * @param host          the client's name from {@link ClientName}, {@link ClientName#UNKNOWN}, or
     *                      {@link ClientName#UNDETERMINED} when reverse lookups are off
     * @param forwardLookup the module's {@code forward lookup}
     */
    static Verdict check(InetAddress client, String host, boolean forwardLookup, List<String> allow,
                         List<String> deny) {
        HostAccess a = new HostAccess(client, host, forwardLookup);
        return new Verdict(a.allowed(allow, deny), a.host);
    }

    private boolean allowed(List<String> allow, List<String> deny) {
        if (!allow.isEmpty()) {
            if (matchesAny(allow, false)) {
                return true;
            }
            if (deny.isEmpty()) {
                return false;
            }
        }
        return deny.isEmpty() || !matchesAny(deny, true);
    }

    private boolean matchesAny(List<String> patterns, boolean deny) {
        for (String p : patterns) {
            String tok = p.toLowerCase(Locale.ROOT);
            if (matchesName(tok, deny) || matchesAddress(client, tok)) {
                return true;
            }
        }
        return false;
    }

    // rsync/access.c:match_hostname
    private boolean matchesName(String tok, boolean deny) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (WildMatch.matches(tok, host.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (!forwardLookup || !isPlainHostName(tok)) {
            return false;
        }
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(tok);
        } catch (UnknownHostException e) {
            return deny;
        }
        for (InetAddress a : addrs) {
            if (sameAddress(client, a)) {
                if (host.equals(ClientName.UNDETERMINED)) {
                    host = tok;
                }
                return true;
            }
        }
        return false;
    }

    /** A word that names one host: not only digits and dots, and no address, mask or wildcard characters. */
    private static boolean isPlainHostName(String tok) {
        return !tok.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
                && tok.chars().noneMatch(c -> ":/*?[".indexOf(c) >= 0);
    }

    private static boolean sameAddress(InetAddress client, InetAddress other) {
        byte[] a = client.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            a = mappedIpv4(a, b.length);
        }
        return a != null && java.util.Arrays.equals(a, b);
    }

    // rsync/access.c:match_address, plus wildcards on the address text
    static boolean matchesAddress(InetAddress client, String pattern) {
        String text = client.getHostAddress();
        if (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0) {
            return WildMatch.matches(pattern, text);
        }
        int slash = pattern.indexOf('/');
        InetAddress net = literal(slash < 0 ? pattern : pattern.substring(0, slash));
        if (net == null) {
            return false; // a host name: matchesName's business
        }
        byte[] a = client.getAddress();
        byte[] n = net.getAddress();
        if (a.length != n.length) {
            a = mappedIpv4(a, n.length);
            if (a == null) {
                return false;
            }
        }
        byte[] mask = slash < 0 ? fullMask(n.length) : mask(pattern.substring(slash + 1), n.length);
        if (mask == null) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if ((a[i] & mask[i]) != (n[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IPv4-mapped IPv6 client compared with an IPv4 pattern, as rsync does for ::ffff:a.b.c.d. */
    private static byte[] mappedIpv4(byte[] a, int wanted) {
        if (wanted == 4 && a.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return null;
                }
            }
            if ((a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
                return new byte[] {a[12], a[13], a[14], a[15]};
            }
        }
        return null;
    }

    private static byte[] fullMask(int len) {
        byte[] m = new byte[len];
        java.util.Arrays.fill(m, (byte) 0xFF);
        return m;
    }

    /** A prefix length or a dotted netmask. */
    private static byte[] mask(String spec, int len) {
        if (spec.indexOf('.') >= 0 || spec.indexOf(':') >= 0) {
            InetAddress m = literal(spec);
            return m == null || m.getAddress().length != len ? null : m.getAddress();
        }
        int bits;
        try {
            bits = Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            return null;
        }
        if (bits < 0 || bits > len * 8) {
            return null;
        }
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.clamp(bits - i * 8, 0, 8);
            m[i] = (byte) (0xFF00 >> b);
        }
        return m;
    }
}
