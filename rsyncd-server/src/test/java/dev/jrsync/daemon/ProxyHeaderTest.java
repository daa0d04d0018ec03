package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PROXY protocol headers, v1 and v2, as byte vectors: what rsync accepts, what it drops, and how far it reads. */
class ProxyHeaderTest {
    private static final byte[] GREETING = "@RSYNCD: 30.0\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] v1(String line) {
        return ("PROXY " + line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] v2(int verCmd, int family, byte[] addresses) {
        return ByteBuffer.allocate(16 + addresses.length).put(ProxyHeader.V2_SIGNATURE).put((byte) verCmd)
                .put((byte) family).putShort((short) addresses.length).put(addresses).array();
    }

    private static byte[] tcp4(String src, String dst) {
        return ByteBuffer.allocate(12).put(InetAddress.ofLiteral(src).getAddress())
                .put(InetAddress.ofLiteral(dst).getAddress()).putShort((short) 40000).putShort((short) 873).array();
    }

    private static byte[] tcp6(String src, String dst) {
        return ByteBuffer.allocate(36).put(InetAddress.ofLiteral(src).getAddress())
                .put(InetAddress.ofLiteral(dst).getAddress()).putShort((short) 40000).putShort((short) 873).array();
    }

    /** Reads a header followed by the greeting: the verdict, and the greeting must be left whole. */
    private static ProxyHeader.Step read(byte[] header) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(ByteBuffer.allocate(header.length + GREETING.length)
                .put(header).put(GREETING).array());
        ProxyHeader.Step step = ProxyHeader.read(in);
        if (step instanceof ProxyHeader.Accepted) {
            assertArrayEquals(GREETING, in.readAllBytes(), "a byte past the header was read");
        }
        return step;
    }

    private static InetAddress source(byte[] header) throws IOException {
        return assertInstanceOf(ProxyHeader.Accepted.class, read(header)).source();
    }

    private static void rejected(byte[] header) throws IOException {
        assertInstanceOf(ProxyHeader.Rejected.class, read(header));
    }

    @Test
    void v1NamesTheClient() throws IOException {
        assertEquals(InetAddress.ofLiteral("10.1.2.3"), source(v1("TCP4 10.1.2.3 127.0.0.1 40000 873")));
        assertEquals(InetAddress.ofLiteral("fd00::1234"), source(v1("TCP6 fd00::1234 ::1 40000 873")));
        assertNull(source(v1("UNKNOWN")), "the connection's own peer stays the client");
        assertNull(source(v1("UNKNOWN 1.2.3.4 whatever")));
    }

    @Test
    void malformedV1LinesAreRejected() throws IOException {
        rejected(v1("TCP4 10.1.2.3"));
        rejected(v1("TCP9 10.1.2.3 127.0.0.1 40000 873"));
        rejected(v1("TCP4 10.1.2.3 127.0.0.1 abc 873"));
        rejected(v1("TCP4 10.1.2.3 127.0.0.1 0 873"));
        rejected(v1("TCP4 10.1.2.3 127.0.0.1 40000 "));
        rejected(v1("TCP4 host.example 127.0.0.1 40000 873"));
        rejected(v1("TCP4 10.1.2.256 127.0.0.1 40000 873"));
        rejected(v1("TCP4  10.1.2.3 127.0.0.1 40000 873"));
        rejected("PROXY TCP4 10.1.2.3 127.0.0.1 40000 873\n".getBytes(StandardCharsets.US_ASCII));
        rejected("PROXY\tUNKNOWN\r\r\n".getBytes(StandardCharsets.US_ASCII));
        rejected("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aV1LineEndsWithin107Bytes() throws IOException {
        String prefix = "TCP4 10.1.2.3 127.0.0.1 40000 ";
        // "PROXY " and "\r\n" take 8 of the 107 bytes
        String longest = prefix + "0".repeat(107 - 8 - prefix.length() - 1) + "1";
        assertEquals(107, v1(longest).length);
        assertEquals(InetAddress.ofLiteral("10.1.2.3"), source(v1(longest)));
        rejected(v1("0" + longest));
        rejected(("PROXY TCP4 " + "1".repeat(200)).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void v2NamesTheClient() throws IOException {
        assertEquals(InetAddress.ofLiteral("10.9.8.7"), source(v2(0x21, 0x11, tcp4("10.9.8.7", "127.0.0.1"))));
        assertEquals(InetAddress.ofLiteral("fd00::abcd"), source(v2(0x21, 0x21, tcp6("fd00::abcd", "::1"))));
    }

    @Test
    void v2LocalAndUnknownFamiliesKeepThePeer() throws IOException {
        assertNull(source(v2(0x20, 0, new byte[0])));
        assertNull(source(v2(0x20, 0x11, tcp4("10.9.8.7", "127.0.0.1"))), "LOCAL ignores any address it carries");
        assertNull(source(v2(0x21, 0x31, new byte[4])));
        assertNull(source(v2(0x21, 0x31, new byte[216])), "the largest block rsync reads");
    }

    @Test
    void malformedV2HeadersAreRejectedBeforeTheirBlockIsRead() throws IOException {
        rejected(v2(0x31, 0x11, new byte[12]));
        rejected(v2(0x27, 0x11, new byte[12]));
        rejected(v2(0x21, 0x11, new byte[8]));
        rejected(v2(0x21, 0x21, new byte[12]));
        byte[] oversize = v2(0x21, 0x11, new byte[0]);
        oversize[14] = 0x10; // 4096 bytes announced and never sent: refused without waiting for them
        assertEquals(new ProxyHeader.Rejected("PROXY v2 address block of 4096 bytes"),
                ProxyHeader.parse(oversize, oversize.length));
        rejected(v2(0x21, 0x31, new byte[217]));
    }

    @Test
    void theParserAsksOnlyForTheBytesTheHeaderStillNeeds() {
        byte[] h = v2(0x21, 0x11, tcp4("10.9.8.7", "127.0.0.1"));
        assertEquals(new ProxyHeader.Need(12), ProxyHeader.parse(h, 0));
        assertEquals(new ProxyHeader.Need(4), ProxyHeader.parse(h, 12));
        assertEquals(new ProxyHeader.Need(12), ProxyHeader.parse(h, 16));
        byte[] line = v1("UNKNOWN");
        assertEquals(new ProxyHeader.Need(1), ProxyHeader.parse(line, 12));
        assertEquals(new ProxyHeader.Need(1), ProxyHeader.parse(line, 14));
    }

    @Test
    void aConnectionEndingInTheHeaderIsAnError() {
        assertThrows(EOFException.class, () -> ProxyHeader.read(new ByteArrayInputStream("PROXY TCP4".getBytes(
                StandardCharsets.US_ASCII))));
    }
}
