package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An HTTP proxy's answer to CONNECT ({@link ProxyResponse}), from a proxy that may be hostile or a man in the middle,
 * fed in the pieces a connection's reads may cut it into: whatever the bytes, the tunnel opens or is refused with a
 * {@link ProxyException}, and what is held between reads never reaches a line's limit.
 */
class ProxyResponseFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void proxyResponse(byte[] data) {
        HostileInput.decode(data, ProxyResponseFuzzTest::response);
    }

    private static void response(byte[] data) {
        ProxyResponse response = new ProxyResponse();
        ByteBuf held = Unpooled.EMPTY_BUFFER;
        int at = 0;
        try {
            while (at < data.length) {
                // the first byte of each piece says how long it is, as reads of any size may come
                int n = Math.min(data.length - at, 1 + (data[at] & 0x7F));
                ByteBuf in = Unpooled.wrappedBuffer(held, Unpooled.wrappedBuffer(data, at, n));
                at += n;
                if (response.feed(in)) {
                    return;
                }
                assertTrue(in.readableBytes() < ProxyResponse.MAX_LINE, () -> in.readableBytes() + " bytes held");
                held = Unpooled.copiedBuffer(in);
            }
        } catch (ProxyException e) {
            // a clean refusal: the connection is closed with rsync's message
        }
    }
}
