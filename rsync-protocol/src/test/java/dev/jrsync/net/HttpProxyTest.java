package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RSYNC_PROXY's forms and the CONNECT request built from them, with rsync's limits and messages. */
class HttpProxyTest {
    @Test
    void hostAndPort() throws ProxyException {
        assertEquals(new HttpProxy("proxy.example", 3128, null, null), HttpProxy.parse("proxy.example:3128"));
        assertNull(HttpProxy.parse(""));
        assertNull(HttpProxy.parse(null));
    }

    @Test
    void userAndPasswordBeforeTheLastAt() throws ProxyException {
        // the password may hold '@' and ':': the host part starts after the last '@', the user ends at the first ':'
        assertEquals(new HttpProxy("10.0.0.1", 8080, "me", "p@ss:word"), HttpProxy.parse("me:p@ss:word@10.0.0.1:8080"));
    }

    @Test
    void malformedSpecificationsAreRefusedWithRsyncsMessages() {
        assertEquals("invalid proxy specification: should be HOST:PORT",
                assertThrows(ProxyException.class, () -> HttpProxy.parse("proxy.example")).getMessage());
        assertEquals("invalid proxy specification: should be USER:PASS@HOST:PORT",
                assertThrows(ProxyException.class, () -> HttpProxy.parse("me@proxy.example:1")).getMessage());
        assertThrows(ProxyException.class, () -> HttpProxy.parse("proxy.example:http-alt"));
        assertThrows(ProxyException.class, () -> HttpProxy.parse("proxy.example:70000"));
    }

    @Test
    void requestWithoutCredentials() throws ProxyException {
        assertArrayEquals("CONNECT upstream.example:873 HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                HttpProxy.parse("p:1").connectRequest("upstream.example", 873));
    }

    @Test
    void requestWithBasicAuthorization() throws ProxyException {
        // base64("puser:ppass"), padded as rsync's base64_encode(..., 1) pads
        assertArrayEquals(("CONNECT h:10873 HTTP/1.0\r\nProxy-Authorization: Basic cHVzZXI6cHBhc3M=\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), HttpProxy.parse("puser:ppass@p:1").connectRequest("h", 10873));
    }

    @Test
    void theRequestMustStayBelowRsyncsBuffer() throws ProxyException {
        HttpProxy proxy = HttpProxy.parse("p:1");
        // "CONNECT " + host + ":873 HTTP/1.0\r\n\r\n" is 25 bytes besides the host: 998 makes 1023, 999 makes 1024
        assertEquals(1023, proxy.connectRequest("a".repeat(998), 873).length);
        assertEquals("proxy CONNECT request too long", assertThrows(ProxyException.class,
                () -> proxy.connectRequest("a".repeat(999), 873)).getMessage());
    }

    @Test
    void controlCharactersCannotBeSmuggledIntoTheRequest() throws ProxyException {
        HttpProxy proxy = HttpProxy.parse("p:1");
        for (String host : new String[] {"evil\r\nX-Injected: 1", "a\u0000b", "a\u007fb"}) {
            assertEquals("invalid control character in proxy CONNECT host",
                    assertThrows(ProxyException.class, () -> proxy.connectRequest(host, 873)).getMessage());
        }
    }

    @Test
    void credentialsTooLongForTheBuffer() throws ProxyException {
        // (len * 8 + 5) / 6 >= 1021 from len 766 on
        HttpProxy ok = HttpProxy.parse("u:" + "p".repeat(763) + "@h:1");
        assertEquals("proxy CONNECT request too long",
                assertThrows(ProxyException.class, () -> ok.connectRequest("h", 1)).getMessage());
        HttpProxy tooLong = HttpProxy.parse("u:" + "p".repeat(764) + "@h:1");
        assertEquals("authentication information is too long",
                assertThrows(ProxyException.class, () -> tooLong.connectRequest("h", 1)).getMessage());
    }

    @Test
    void thePasswordIsNeverPrinted() throws ProxyException {
        assertEquals("h:1", HttpProxy.parse("u:secret@h:1").toString());
    }
}
