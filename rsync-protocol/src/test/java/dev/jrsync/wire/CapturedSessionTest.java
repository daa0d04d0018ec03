package dev.jrsync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.session.CompatFlags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte vectors from one real session: stock rsync 3.5.0 pushing a two-file tree to a stock 3.5.0
 * daemon with {@code -a --no-inc-recursive} (the mode jrsync speaks), recorded with
 * shared/tools/wiretap.py. Each codec must read what rsync wrote and write what rsync wrote.
 */
class CapturedSessionTest {
    private static final int PROTOCOL = 32;

    /** The daemon's compat flags: everything but incremental recursion. */
    private static final String COMPAT_FLAGS = "81 fe";
    /** The client's checksum list (the daemon's ends in " none"), as vstrings. */
    private static final String CLIENT_CHECKSUMS = "1e 78 78 68 31 32 38 20 78 78 68 33 20 78 78 68 36 34 20 6d 64 35 20"
            + "6d 64 34 20 73 68 61 31";
    /** The checksum seed, a little-endian int. */
    private static final String SEED = "0a 0c 1b 6b";
    /**
     * The generator's requests: "." (ndx 0, IS_NEW|LOCAL_CHANGE), b.txt (ndx 1, TRANSFER|IS_NEW with an
     * empty sum head), d (ndx 2), d/a.txt (ndx 3).
     */
    private static final String GENERATOR = "01 00 60"
            + "01 00 a0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
            + "01 00 60"
            + "01 00 a0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
    /** Whole-file xxh128 sums the sender wrote after each file's tokens. */
    private static final String WORLD_XXH128 = "e1 0e 0c 5c 6c 7c 18 7d 05 e8 a0 a1 df 15 60 d0";
    private static final String HELLO_XXH128 = "9c e4 c8 f1 35 b4 10 5a 6d f5 69 e0 c7 86 ba 6b";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static ProtocolInput in(String hex) {
        return new ProtocolInput(new ByteArrayInputStream(hex(hex)), PROTOCOL);
    }

    @Test
    void greetingOfA350Daemon() {
        Greeting g = Greeting.parse("@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4");
        assertEquals(32, g.protocol());
        assertEquals(List.of("sha512", "sha256", "sha1", "md5", "md4"), g.digests());
    }

    @Test
    void compatFlagsVarint() {
        int flags = in(COMPAT_FLAGS).readVarint();
        assertEquals(0x1fe, flags);
        assertEquals(0, flags & CompatFlags.INC_RECURSE);
        assertEquals(CompatFlags.VARINT_FLIST_FLAGS, flags & CompatFlags.VARINT_FLIST_FLAGS);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(buf, PROTOCOL);
        out.writeVarint(flags);
        out.flush();
        assertArrayEquals(hex(COMPAT_FLAGS), buf.toByteArray());
    }

    @Test
    void ourChecksumListIsWhatStockClientsSend() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(buf, PROTOCOL);
        out.writeVstring(ChecksumType.defaultList(false));
        out.flush();
        assertArrayEquals(hex(CLIENT_CHECKSUMS), buf.toByteArray());
        assertEquals("xxh128 xxh3 xxh64 md5 md4 sha1", in(CLIENT_CHECKSUMS).readVstring(1024));
    }

    @Test
    void seedIsALittleEndianInt() {
        assertEquals(0x6b1b0c0a, in(SEED).readInt());
    }

    @Test
    void generatorRequestsDecodeAndReencode() {
        ProtocolInput in = in(GENERATOR);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(buf, PROTOCOL);
        int[] expectedFlags = {0x6000, 0xa000, 0x6000, 0xa000};
        for (int ndx = 0; ndx < 4; ndx++) {
            assertEquals(ndx, in.readNdx());
            int iflags = in.readUnsignedShort();
            assertEquals(expectedFlags[ndx], iflags);
            out.writeNdx(ndx);
            out.writeShort(iflags);
            if ((iflags & 0x8000) != 0) {
                byte[] sumHead = in.readBytes(16);
                assertArrayEquals(new byte[16], sumHead, "a new file's sum head is empty");
                out.write(sumHead);
            }
        }
        out.flush();
        assertArrayEquals(hex(GENERATOR), buf.toByteArray());
        ProtocolInput done = in("00");
        assertEquals(NdxCodec.NDX_DONE, done.readNdx());
    }

    @Test
    void wholeFileXxh128MatchesTheStockSender() {
        assertArrayEquals(hex(WORLD_XXH128), digest("world\n"));
        assertArrayEquals(hex(HELLO_XXH128), digest("hello\n"));
    }

    private static byte[] digest(String content) {
        FileDigest d = FileDigest.forFileList(ChecksumType.XXH128);
        byte[] b = content.getBytes(StandardCharsets.US_ASCII);
        d.update(b, 0, b.length);
        return d.finish();
    }
}
