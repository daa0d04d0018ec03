package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which texts rsync takes for an IP address from a PROXY v1 line. */
class IpAddressTextTest {
    @Test
    void addresses() {
        for (String s : new String[] {"10.1.2.3", "0.0.0.0", "255.255.255.255", "::", "::1", "fd00::1234",
                "1:2:3:4:5:6:7:8", "1::", "::ffff:10.1.2.3", "1:2:3:4:5:6:10.1.2.3", "FD00::ABCD"}) {
            assertEquals(InetAddress.ofLiteral(s), IpAddressText.parse(s), s);
        }
    }

    @Test
    void notAddresses() {
        for (String s : new String[] {"", "host.example", "10.1.2", "10.1.2.3.4", "10.1.2.256", "1.2.3.1000",
                "10.1.2.3 ", "10..2.3", ":1", "1:", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::1",
                "1:2:3:4:5:6:7:1.2.3.4", "::1%eth0", "1:2:3:4:5:10.1.2.3"}) {
            assertNull(IpAddressText.parse(s), s);
        }
    }

    @Test
    void partsAreReadAsCsStrtolReadsThem() {
        // a part of up to three characters, a sign and leading blanks included, as rsync's check takes it
        assertEquals(InetAddress.ofLiteral("1.2.3.4"), IpAddressText.parse("+1.2.3.4"));
        assertEquals(InetAddress.ofLiteral("10.2.3.4"), IpAddressText.parse("010.2.3.4"));
        assertNull(IpAddressText.parse("0010.2.3.4"));
        assertNull(IpAddressText.parse("-1.2.3.4"));
    }
}
