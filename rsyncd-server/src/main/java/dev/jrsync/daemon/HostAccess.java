package dev.jrsync.daemon;

import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hosts allow} / {@code hosts deny} ({@code rsync/access.c:allow_access}, {@code access_match}):
 * an allow-list match always admits; an allow-list without a deny-list refuses everything else; a
 * deny-list match refuses; anything else is admitted.
 *
 * <p>Patterns are IP addresses, {@code addr/bits} and {@code addr/netmask}, or wildcards matched against
 * the address text ({@code 10.0.*}, {@code *}). Host-name patterns are skipped: this daemon does no reverse
 * lookups (rsync's {@code reverse lookup = no}), so a name can never match.
 */
public final class HostAccess {
    private HostAccess() {}

    public static boolean allowed(InetAddress client, List<String> allow, List<String> deny) {
        if (!allow.isEmpty()) {
            if (matchesAny(client, allow)) {
                return true;
            }
            if (deny.isEmpty()) {
                return false;
            }
        }
        return deny.isEmpty() || !matchesAny(client, deny);
    }

    static boolean matchesAny(InetAddress client, List<String> patterns) {
        for (String p : patterns) {
            if (matches(client, p)) {
                return true;
            }
        }
        return false;
    }

    // rsync/access.c:match_address, plus wildmatch on the address text
    static boolean matches(InetAddress client, String pattern) {
        String text = client.getHostAddress();
        if (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0) {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(text));
        }
        int slash = pattern.indexOf('/');
        InetAddress net = literal(slash < 0 ? pattern : pattern.substring(0, slash));
        if (net == null) {
            return false; // a host name: no reverse lookup, no match
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

    /** Whether a pattern names hosts rather than addresses (it has letters and is no IPv6 literal). */
    static boolean isHostNamePattern(String pattern) {
        int slash = pattern.indexOf('/');
        String addr = slash < 0 ? pattern : pattern.substring(0, slash);
        return addr.chars().anyMatch(Character::isLetter) && addr.indexOf(':') < 0 && literal(addr) == null;
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
