package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jrsync.core.PathBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The arguments main gets back as their bytes from the process's command line (see LauncherIT for a real run). */
class RawArgsTest {
    private static final byte[] CAFE = {'c', 'a', 'f', (byte) 0xE9};

    /** A command line as /proc/self/cmdline holds it: each argument ended by a NUL. */
    private static byte[] cmdline(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : args) {
            out.writeBytes(a);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] b(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anArgumentTheJvmCouldNotDecodeIsItsBytes() {
        String[] decoded = {"-a", "caf\uFFFD", "", "dst/"};
        String[] raw = RawArgs.of(decoded, cmdline(b("java"), b("-Xmn32m"), b("-jar"), b("jrsync.jar"), b("-a"), CAFE,
                b(""), b("dst/")));
        assertArrayEquals(new String[] {"-a", PathBytes.text(CAFE), "", "dst/"}, raw);
        assertArrayEquals(CAFE, PathBytes.bytes(raw[1]));
    }

    @Test
    void aCommandLineThatDoesNotEndInTheArgumentsIsNotUsed() {
        String[] decoded = {"-a", "caf\uFFFD", "dst/"};
        assertSame(decoded, RawArgs.of(decoded, cmdline(b("java"), b("-a"), CAFE, b("other/"))));
        assertSame(decoded, RawArgs.of(decoded, cmdline(CAFE, b("dst/"))));
    }
}
