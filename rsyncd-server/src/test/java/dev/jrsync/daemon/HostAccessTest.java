package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAccessTest {
    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void rsyncsAllowDenyRules() {
        assertTrue(HostAccess.allowed(ip("127.0.0.1"), List.of(), List.of()));
        assertTrue(HostAccess.allowed(ip("127.0.0.1"), List.of("127.0.0.0/8"), List.of()));
        assertFalse(HostAccess.allowed(ip("10.1.2.3"), List.of("127.0.0.0/8"), List.of()), "allow-list only: others refused");
        assertTrue(HostAccess.allowed(ip("10.1.2.3"), List.of("127.0.0.1"), List.of("192.168.0.0/16")),
                "allow and deny lists: neither matches, so allowed");
        assertFalse(HostAccess.allowed(ip("192.168.4.5"), List.of("127.0.0.1"), List.of("192.168.0.0/16")));
        assertTrue(HostAccess.allowed(ip("192.168.4.5"), List.of("192.168.4.5"), List.of("*")), "allow wins");
        assertFalse(HostAccess.allowed(ip("127.0.0.1"), List.of(), List.of("*")));
    }

    @Test
    void patternForms() {
        assertTrue(HostAccess.matches(ip("10.9.8.7"), "10.0.0.0/255.0.0.0"));
        assertTrue(HostAccess.matches(ip("10.9.8.7"), "10.9.*"));
        assertFalse(HostAccess.matches(ip("10.9.8.7"), "10.9.8.6"));
        assertTrue(HostAccess.matches(ip("::1"), "::1/128"));
        assertTrue(HostAccess.matches(ip("::ffff:127.0.0.1"), "127.0.0.1"));
        assertFalse(HostAccess.matches(ip("127.0.0.1"), "localhost"), "no reverse lookups: names never match");
        assertTrue(HostAccess.isHostNamePattern("*.example.com"));
        assertFalse(HostAccess.isHostNamePattern("fe80::1/64"));
        assertFalse(HostAccess.isHostNamePattern("10.0.0.0/8"));
    }
}
