package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.FileMode;
import dev.jrsync.flist.IdNames;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fake daemon on loopback that sends hostile file lists: the pull must end with exit 12 and touch nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileStreamTest {
    @TempDir
    Path tmp;

    private static final int PROTOCOL = 31;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dotDotNameEndsTheSessionWithExit12() throws Exception {
        RsyncException e = pullFrom(List.of(
                FileEntry.builder(".", FileMode.S_IFDIR | 0755).build(),
                FileEntry.builder("../evil", FileMode.S_IFREG | 0644).size(4).build()));
        assertEquals(12, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("unsafe pathname"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void fileBelowASymlinkEntryEndsTheSessionWithExit12() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        RsyncException e = pullFrom(List.of(
                FileEntry.builder(".", FileMode.S_IFDIR | 0755).build(),
                FileEntry.builder("sub", FileMode.S_IFLNK | 0777).linkTarget(b(outside.toString())).build(),
                FileEntry.builder("sub/x", FileMode.S_IFREG | 0644).size(4).build()));
        assertEquals(12, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("sub/x"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("x")));
        assertFalse(Files.exists(tmp.resolve("dst/sub"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void dataForAFileTheGeneratorDidNotRequestEndsTheSessionWithExit12() throws Exception {
        RsyncException e = pullFrom(List.of(
                FileEntry.builder(".", FileMode.S_IFDIR | 0755).build(),
                FileEntry.builder("victim.txt", FileMode.S_IFREG | 0644).size(7).mtime(VICTIM_MTIME, 0).build()),
                // ndx 1 (delta 2 from -1), iflags ITEM_TRANSFER, then what would be a sum head
                new byte[] {2, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(12, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("did not request"), e.getMessage());
    }

    private static final long VICTIM_MTIME = 1_600_000_000L;

    private RsyncException pullFrom(List<FileEntry> entries) throws Exception {
        return pullFrom(entries, new byte[0]);
    }

    private RsyncException pullFrom(List<FileEntry> entries, byte[] after) throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("victim.txt"), "keep me");
        Files.setLastModifiedTime(dst.resolve("victim.txt"),
                java.nio.file.attribute.FileTime.from(VICTIM_MTIME, TimeUnit.SECONDS));
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(30_000);
            Thread server = Thread.ofVirtual().start(() -> serve(ss, entries, after));
            String url = "rsync://127.0.0.1:" + ss.getLocalPort() + "/mod/";
            Options o = OptionParser.parse("-a", url, dst.toString());
            SessionLog quiet = SessionLog.of(System.out, System.out);
            RsyncException e = assertThrows(RsyncException.class, () -> Pull.run(o,
                    DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), LocalDest.of(dst), Filters.from(o), quiet, Credentials.NONE));
            server.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals("keep me", Files.readString(dst.resolve("victim.txt")));
            return e;
        }
    }

    private static void serve(ServerSocket ss, List<FileEntry> entries, byte[] after) {
        try (Socket s = ss.accept()) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readLine(in);
            out.write(b("@RSYNCD: " + PROTOCOL + ".0 md5 md4\n"));
            out.flush();
            readLine(in);
            out.write(b("@RSYNCD: OK\n"));
            out.flush();
            int prev = -1;
            for (int i = 0; i < 1 << 16; i++) { // arguments end with an empty one
                int c = in.read();
                if (c < 0 || (c == 0 && prev == 0)) {
                    break;
                }
                prev = c;
            }
            out.write(0); // compat flags: none
            out.write(new byte[] {1, 2, 3, 4}); // checksum seed
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            ProtocolOutput po = new ProtocolOutput(payload, PROTOCOL);
            FileListOptions flo = new FileListOptions(PROTOCOL, false, true, true, true, true, true, 0, false, false,
                    false, FileListOptions.DEFAULT_MAX_ENTRIES);
            FileListEncoder enc = new FileListEncoder(flo, IdNames.of(Map.of(), Map.of()));
            for (FileEntry e : entries) {
                enc.writeEntry(po, e);
            }
            enc.writeEnd(po, 0);
            enc.writeIdLists(po);
            po.flush();
            payload.write(after);
            byte[] data = payload.toByteArray();
            int header = (7 << 24) | data.length; // MSG_DATA frame
            out.write(new byte[] {(byte) header, (byte) (header >> 8), (byte) (header >> 16), (byte) (header >>> 24)});
            out.write(data);
            out.flush();
            byte[] sink = new byte[4096];
            for (int i = 0; i < 1000 && in.read(sink) >= 0; i++) {
                // drain until the client hangs up
            }
        } catch (IOException ignored) {
            // the client closing on us is the expected end
        }
    }

    private static void readLine(InputStream in) throws IOException {
        for (int i = 0; i < 4096; i++) {
            int c = in.read();
            if (c < 0 || c == '\n') {
                return;
            }
        }
    }
}
