package dev.jrsync.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address as text that rsync will take from a peer ({@code rsync/clientname.c:valid_ipaddr}, without a scope):
 * four dotted decimal numbers up to 255 of at most three characters each, or IPv6 groups of one to four hex digits
 * with at most one {@code ::} and an optional dotted IPv4 tail. Anything else, a host name included, is not an
 * address.
 */
final class IpAddressText {
    private IpAddressText() {}

    /** The address {@code s} spells, or null when rsync would not take it for one. */
    static InetAddress parse(String s) {
        if (s.indexOf(':') >= 0) {
            if (!validIpv6(s)) {
                return null;
            }
            try {
                return InetAddress.ofLiteral(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        byte[] v4 = ipv4(s, 0);
        try {
            return v4 == null ? null : InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    private static boolean validIpv6(String s) {
        int i = 0;
        int n = s.length();
        boolean doubleColon = false;
        if (s.charAt(0) == ':') {
            if (n < 2 || s.charAt(1) != ':') {
                return false;
            }
            doubleColon = true;
            i = 2;
        }
        for (int group = 0; group < 8; group++) {
            if (i == n) {
                return doubleColon;
            }
            if (s.indexOf(':', i) < 0 && s.indexOf('.', i) >= 0) {
                // a dotted IPv4 tail takes the place of the last two groups
                if (doubleColon ? group > 6 : group != 6) {
                    return false;
                }
                return ipv4(s, i) != null;
            }
            int digits = 0;
            while (i < n && digits < 5 && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80) {
                i++;
                digits++;
            }
            if (digits == 0 || digits > 4) {
                return false;
            }
            if (i < n && s.charAt(i) == ':') {
                i++;
                if (i == n) {
                    return false;
                }
                if (s.charAt(i) == ':') {
                    if (doubleColon) {
                        return false;
                    }
                    doubleColon = true;
                    i++;
                }
            }
        }
        return i == n;
    }

    /** The four bytes of dotted decimal text from {@code from} to the end, each part as C's strtol reads it. */
    private static byte[] ipv4(String s, int from) {
        byte[] out = new byte[4];
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0 && (i >= s.length() || s.charAt(i++) != '.')) {
                return null;
            }
            int start = i;
            while (i < s.length() && ProxyHeader.isSpace(s.charAt(i))) {
                i++;
            }
            boolean negative = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                negative = s.charAt(i++) == '-';
            }
            int digitsFrom = i;
            int value = 0;
            while (i < s.length() && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + s.charAt(i++) - '0';
            }
            if (i == digitsFrom || i - start > 3
                    || value > 255 || (negative && value != 0)) {
                return null;
            }
            out[part] = (byte) value;
        }
        return i == s.length() ? out : null;
    }
}
