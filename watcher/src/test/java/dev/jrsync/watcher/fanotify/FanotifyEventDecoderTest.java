package dev.jrsync.watcher.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanotifyEventDecoderTest {
    private static final byte[] HANDLE = {(byte) 0xc3, (byte) 0xe0, 0x28, 0, (byte) 0x87, (byte) 0xd1, 0x56, 0x3e};

    /** One fid record: header, fsid, file_handle, the NUL-terminated name padded to four bytes. */
    private static byte[] fid(int type, byte[] handle, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = (4 + 8 + 8 + handle.length + n.length + 1 + 3) / 4 * 4;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.put((byte) type).put((byte) 0).putShort((short) len).putInt(0x070fae76).putInt(0x3afe049a);
        b.putInt(handle.length).putInt(1).put(handle).put(n);
        return b.array();
    }

    private static void event(ByteBuffer out, long mask, byte[]... records) {
        int len = 24;
        for (byte[] r : records) {
            len += r.length;
        }
        out.putInt(len).put((byte) 3).put((byte) 0).putShort((short) 24).putLong(mask).putInt(-1).putInt(4242);
        for (byte[] r : records) {
            out.put(r);
        }
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    }

    @Test
    void decodesMergedMasksRenamesAndOverflow() {
        ByteBuffer b = buffer();
        event(b, FanotifyMask.CREATE | FanotifyMask.MODIFY | FanotifyMask.CLOSE_WRITE,
                fid(FanotifyMask.INFO_DFID_NAME, HANDLE, "\u00e9t\u00e9.txt"));
        event(b, FanotifyMask.RENAME | FanotifyMask.ONDIR, fid(FanotifyMask.INFO_OLD_DFID_NAME, HANDLE, "a"),
                fid(FanotifyMask.INFO_NEW_DFID_NAME, new byte[] {1, 2, 3, 4}, "zz"));
        event(b, FanotifyMask.Q_OVERFLOW);
        b.flip();
        List<FanotifyEvent> events = FanotifyEventDecoder.decode(b);
        FileHandle h = new FileHandle(1, HANDLE);
        assertEquals(List.of(
                new FanotifyEvent(FanotifyMask.CREATE | FanotifyMask.MODIFY | FanotifyMask.CLOSE_WRITE, h,
                        "\u00e9t\u00e9.txt", null, null),
                new FanotifyEvent(FanotifyMask.RENAME | FanotifyMask.ONDIR, new FileHandle(1, new byte[] {1, 2, 3, 4}),
                        "zz", h, "a"),
                new FanotifyEvent(FanotifyMask.Q_OVERFLOW, null, null, null, null)), events);
    }

    /** A FAN_RENAME of /tmp/rc.tmp to /tmp/rc as read from Linux 6.18 on x86_64 (ext4, 8-byte handles). */
    @Test
    void decodesWhatTheKernelWrote() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the vector is little-endian");
        byte[] raw = HexFormat.of().parseHex("5c000000030018000000001000000000ffffffff02680000"
                + "0a00240076ae0f079a04fe3a0800000001000000c3e0280087d1563e72632e746d700000"
                + "0c00200076ae0f079a04fe3a0800000001000000c3e0280087d1563e72630000");
        List<FanotifyEvent> events = FanotifyEventDecoder.decode(ByteBuffer.wrap(raw));
        FileHandle tmp = new FileHandle(1, HANDLE);
        assertEquals(List.of(new FanotifyEvent(FanotifyMask.RENAME, tmp, "rc", tmp, "rc.tmp")), events);
    }

    @Test
    void unknownRecordsAreSkipped() {
        ByteBuffer b = buffer();
        byte[] pidfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).put((byte) 4).put((byte) 0)
                .putShort((short) 8).putInt(7).array();
        event(b, FanotifyMask.DELETE, fid(FanotifyMask.INFO_DFID_NAME, HANDLE, "x"), pidfd);
        b.flip();
        FanotifyEvent e = FanotifyEventDecoder.decode(b).getFirst();
        assertEquals("x", e.name());
        assertNull(e.fromDir());
    }

    private static ByteBuffer oneDelete() {
        ByteBuffer b = buffer();
        event(b, FanotifyMask.DELETE, fid(FanotifyMask.INFO_DFID_NAME, HANDLE, "abc"));
        return b.flip();
    }

    @Test
    void truncatedOrInconsistentEventsAreErrors() {
        ByteBuffer cut = oneDelete();
        cut.limit(cut.limit() - 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FanotifyEventDecoder.decode(cut));
        assertTrue(e.getMessage().contains("claims 56 bytes (metadata 24), 52 left"), e.getMessage());

        ByteBuffer oldVersion = oneDelete().put(4, (byte) 2);
        e = assertThrows(IllegalArgumentException.class, () -> FanotifyEventDecoder.decode(oldVersion));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());

        ByteBuffer bigHandle = oneDelete().putInt(24 + 12, 200);
        e = assertThrows(IllegalArgumentException.class, () -> FanotifyEventDecoder.decode(bigHandle));
        assertTrue(e.getMessage().contains("file handle of 200 bytes overruns"), e.getMessage());
    }
}
