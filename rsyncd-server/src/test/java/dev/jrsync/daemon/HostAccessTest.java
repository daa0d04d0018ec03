package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAccessTest {
    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    private static boolean allowed(String client, List<String> allow, List<String> deny) {
        return HostAccess.check(ip(client), ClientName.UNDETERMINED, false, allow, deny).allowed();
    }

    @Test
    void rsyncsAllowDenyRules() {
        assertTrue(allowed("127.0.0.1", List.of(), List.of()));
        assertTrue(allowed("127.0.0.1", List.of("127.0.0.0/8"), List.of()));
        assertFalse(allowed("10.1.2.3", List.of("127.0.0.0/8"), List.of()), "allow-list only: others refused");
        assertTrue(allowed("10.1.2.3", List.of("127.0.0.1"), List.of("192.168.0.0/16")),
                "allow and deny lists: neither matches, so allowed");
        assertFalse(allowed("192.168.4.5", List.of("127.0.0.1"), List.of("192.168.0.0/16")));
        assertTrue(allowed("192.168.4.5", List.of("192.168.4.5"), List.of("*")), "allow wins");
        assertFalse(allowed("127.0.0.1", List.of(), List.of("*")));
    }

    @Test
    void addressForms() {
        assertTrue(HostAccess.matchesAddress(ip("10.9.8.7"), "10.0.0.0/255.0.0.0"));
        assertTrue(HostAccess.matchesAddress(ip("10.9.8.7"), "10.9.*"));
        assertFalse(HostAccess.matchesAddress(ip("10.9.8.7"), "10.9.8.6"));
        assertTrue(HostAccess.matchesAddress(ip("::1"), "::1/128"));
        assertTrue(HostAccess.matchesAddress(ip("::ffff:127.0.0.1"), "127.0.0.1"));
        assertFalse(HostAccess.matchesAddress(ip("127.0.0.1"), "localhost"), "a name is no address");
    }

    /** /etc/hosts maps localhost to 127.0.0.1 on every machine this runs on. */
    @Test
    void namesMatchTheReverseNameOrTheForwardLookup() {
        InetAddress lo = ip("127.0.0.1");
        assertFalse(HostAccess.check(lo, "localhost", false, List.of(), List.of("LocalHost")).allowed(),
                "the reverse name, without case");
        assertFalse(HostAccess.check(lo, "localhost", false, List.of(), List.of("local*")).allowed(), "wildcards");
        assertTrue(HostAccess.check(lo, ClientName.UNKNOWN, false, List.of(), List.of("localhost")).allowed(),
                "no reverse name and no forward lookup: nothing to match");
        HostAccess.Verdict forward = HostAccess.check(lo, ClientName.UNDETERMINED, true, List.of(), List.of("localhost"));
        assertFalse(forward.allowed(), "forward lookup of the denied name finds the client");
        assertEquals("localhost", forward.host(), "the matched name replaces UNDETERMINED");
        assertTrue(HostAccess.check(lo, ClientName.UNDETERMINED, true, List.of("localhost"), List.of("*")).allowed());
        assertFalse(HostAccess.check(lo, ClientName.UNDETERMINED, true, List.of(), List.of("no-such-host.invalid"))
                .allowed(), "a deny name that does not resolve fails closed");
        assertFalse(HostAccess.check(lo, ClientName.UNDETERMINED, true, List.of("no-such-host.invalid"), List.of())
                .allowed(), "an allow name that does not resolve admits nobody");
        assertEquals("UNKNOWN", ClientName.of(ip("192.0.2.1"), new DaemonLog(null, null)),
                "TEST-NET-1 has no name");
    }
}
