package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write-only module's client that forges the transfer root "." as a regular file with --force, hoping the
 * receiver removes the module's directory to make room (rsync's suite daemon-dot-file-force-wipe): the entry is
 * refused, the module is untouched, and at protocol 30, which carries no exit code, the client reads the refusal
 * and an orderly end, not a reset, since it has nothing left unread.
 */
class ForgedDotEntryTest {
    @TempDir
    Path tmp;

    @Test
    void aRegularFileDotEntryIsRefusedAndTheConnectionEndsInOrder() throws IOException {
        Path module = Files.createDirectories(tmp.resolve("mod/private"));
        Path sentinel = Files.writeString(module.resolve("must-survive"), "module data\n");
        try (JavaDaemon java = JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser() + "[mod]\npath = "
                + tmp.resolve("mod") + "\nread only = no\nwrite only = yes\nrefuse options = delete\n",
                Duration.ofSeconds(5));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), java.port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            String greeting = line(in);
            assertTrue(greeting.startsWith("@RSYNCD: "), greeting);
            s.getOutputStream().write(("@RSYNCD: 30.0\nmod\n").getBytes(StandardCharsets.US_ASCII));
            String ok = line(in);
            assertTrue(ok.equals("@RSYNCD: OK"), ok);
            s.getOutputStream().write("--server\0-re.LsfxCIu\0--force\0--no-inc-recursive\0.\0mod/\0\0"
                    .getBytes(StandardCharsets.US_ASCII));
            // one file-list entry in byte flags (no 'v'): same uid and gid, the name ".", length 0 (3 bytes),
            // mtime 0 (4 bytes), mode 0100644; then the list's end
            byte[] flist = {0x18, 1, '.', 0, 0, 0, 0, 0, 0, 0, (byte) 0xa4, (byte) 0x81, 0, 0, 0};
            ByteBuffer frame = ByteBuffer.allocate(4 + flist.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((7 << 24) | flist.length).put(flist);
            s.getOutputStream().write(frame.array());
            // the whole answer up to the end of the stream: a reset would throw here
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.contains("rejecting non-directory transfer-root entry: ."), answer);
        }
        assertTrue(Files.exists(sentinel), "the module's data is gone");
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
