package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy's answer to CONNECT, byte by byte as a hostile or broken proxy may send it. */
class ProxyResponseTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String refusal(String response) {
        return assertThrows(ProxyException.class, () -> new ProxyResponse().feed(bytes(response))).getMessage();
    }

    @Test
    void aTwoHundredStatusAndItsHeaderOpenTheTunnelLeavingTheDaemonsBytes() throws ProxyException {
        ByteBuf in = bytes("HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n@RSYNCD: 32.0\n");
        assertTrue(new ProxyResponse().feed(in));
        assertEquals("@RSYNCD: 32.0\n", in.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void bareNewlinesEndLinesToo() throws ProxyException {
        ByteBuf in = bytes("HTTP/1.0 204\n\nX");
        assertTrue(new ProxyResponse().feed(in));
        assertEquals(1, in.readableBytes());
    }

    @Test
    void linesSplitAcrossReadsAreTakenWhenComplete() throws ProxyException {
        ProxyResponse response = new ProxyResponse();
        ByteBuf in = bytes("HTTP/1.0 2");
        assertFalse(response.feed(in));
        assertEquals(10, in.readableBytes(), "a partial line stays unread");
        ByteBuf more = Unpooled.wrappedBuffer(in, bytes("00 OK\r\n\r"));
        assertFalse(response.feed(more));
        assertEquals(1, more.readableBytes());
        assertTrue(response.feed(Unpooled.wrappedBuffer(more, bytes("\n"))));
    }

    @Test
    void anyOtherStatusIsABadResponseNamingTheLine() {
        assertEquals("bad response from proxy -- HTTP/1.0 503 Service Unavailable",
                refusal("HTTP/1.0 503 Service Unavailable\r\n\r\n"));
        assertEquals("bad response from proxy -- SSH-2.0-OpenSSH_9.2", refusal("SSH-2.0-OpenSSH_9.2\r\n"));
        assertEquals("bad response from proxy -- HTTP/1.0", refusal("HTTP/1.0\r\n"));
        assertEquals("bad response from proxy -- HTTP/1.0 ", refusal("HTTP/1.0 \u0000200\r\n"));
    }

    @Test
    void theStatusLineMayTake1023BytesWithItsNewline() throws ProxyException {
        String status = "HTTP/1.0 200 " + "x".repeat(1022 - 13);
        assertTrue(new ProxyResponse().feed(bytes(status + "\n\n")));
        assertEquals("proxy response line too long", refusal(status + "y\n\n"));
        assertEquals("proxy response line too long", refusal("X".repeat(1023)));
        assertFalse(new ProxyResponse().feed(bytes("X".repeat(1022))), "1022 bytes may still end in a newline");
    }

    @Test
    void eachHeaderLineHasTheSameLimit() throws ProxyException {
        String ok = "HTTP/1.0 200 OK\r\n";
        assertTrue(new ProxyResponse().feed(bytes(ok + "X".repeat(1022) + "\n\r\n")));
        assertEquals("proxy response header line too long", refusal(ok + "X".repeat(1023)));
    }

    @Test
    void manyHeaderLinesAreReadWithoutHoldingThem() throws ProxyException {
        ProxyResponse response = new ProxyResponse();
        assertFalse(response.feed(bytes("HTTP/1.0 200 OK\r\n")));
        for (int i = 0; i < 10_000; i++) {
            ByteBuf line = bytes("X-Filler: " + i + "\r\n");
            assertFalse(response.feed(line));
            assertEquals(0, line.readableBytes());
        }
        assertTrue(response.feed(bytes("\r\n")));
    }
}
