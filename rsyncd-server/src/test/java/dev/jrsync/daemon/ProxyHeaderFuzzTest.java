package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The PROXY protocol header a connection opens with ({@link ProxyHeader}), from a proxy the daemon trusts or from
 * anyone posing as one: whatever the bytes, a verdict or an early end, having read no more than rsync's
 * {@link ProxyHeader#MAX_HEADER} bytes.
 */
class ProxyHeaderFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void proxyHeader(byte[] data) {
        HostileInput.decode(data, ProxyHeaderFuzzTest::header);
    }

    private static void header(byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            ProxyHeader.read(in);
        } catch (EOFException e) {
            return; // the connection ended inside the header
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int consumed = data.length - in.available();
        assertTrue(consumed <= ProxyHeader.MAX_HEADER, () -> consumed + " bytes read");
    }
}
