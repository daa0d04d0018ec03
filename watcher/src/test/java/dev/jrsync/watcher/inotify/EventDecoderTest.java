package dev.jrsync.watcher.inotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
    private static void put(ByteBuffer b, int wd, int mask, int cookie, String name, int len) {
        b.putInt(wd).putInt(mask).putInt(cookie).putInt(len);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        b.put(n);
        for (int i = n.length; i < len; i++) {
            b.put((byte) 0);
        }
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
    }

    @Test
    void decodesSeveralEventsWithPaddedNames() {
        ByteBuffer b = buffer();
        put(b, 1, InotifyMask.CREATE | InotifyMask.ISDIR, 0, "dir", 16);
        put(b, 2, InotifyMask.MOVED_FROM, 77, "\u00e9t\u00e9.txt", 32);
        put(b, 2, InotifyMask.MOVE_SELF, 0, "", 0);
        put(b, -1, InotifyMask.Q_OVERFLOW, 0, "", 0);
        b.flip();
        List<InotifyEvent> events = EventDecoder.decode(b);
        assertEquals(List.of(new InotifyEvent(1, InotifyMask.CREATE | InotifyMask.ISDIR, 0, "dir"),
                new InotifyEvent(2, InotifyMask.MOVED_FROM, 77, "\u00e9t\u00e9.txt"),
                new InotifyEvent(2, InotifyMask.MOVE_SELF, 0, ""),
                new InotifyEvent(-1, InotifyMask.Q_OVERFLOW, 0, "")), events);
        assertTrue(events.get(0).isDir());
        assertEquals(EnumSet.of(EventKind.CREATE, EventKind.ISDIR), events.get(0).kinds());
        assertTrue(events.get(3).isOverflow());
    }

    @Test
    void everyKindHasItsBit() {
        int all = 0;
        for (EventKind k : EventKind.values()) {
            all |= k.bit;
        }
        InotifyEvent e = new InotifyEvent(1, all, 0, "x");
        assertEquals(EnumSet.allOf(EventKind.class), e.kinds());
    }

    @Test
    void truncatedHeaderIsAnError() {
        ByteBuffer b = buffer();
        put(b, 1, InotifyMask.CREATE, 0, "a", 16);
        b.putInt(3).putInt(InotifyMask.MODIFY);
        b.flip();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventDecoder.decode(b));
        assertTrue(e.getMessage().contains("header at byte 32"), e.getMessage());
    }

    @Test
    void truncatedNameIsAnError() {
        ByteBuffer b = buffer();
        put(b, 1, InotifyMask.CREATE, 0, "abc", 16);
        b.flip();
        b.limit(b.limit() - 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventDecoder.decode(b));
        assertTrue(e.getMessage().contains("needs 16 bytes, 12 left"), e.getMessage());
    }

    @Test
    void namesAsInotifywaitPrintsThem() {
        assertEquals("CLOSE_WRITE,CLOSE", InotifyMask.names(InotifyMask.CLOSE_WRITE, ','));
        assertEquals("CREATE:ISDIR", InotifyMask.names(InotifyMask.CREATE | InotifyMask.ISDIR, ':'));
        assertEquals("MOVED_TO", InotifyMask.names(InotifyMask.MOVED_TO, ','));
        assertEquals("0x00000000", InotifyMask.names(0, ','));
        assertEquals(InotifyMask.CLOSE | InotifyMask.MOVE, InotifyMask.parse("close,Move"));
        assertThrows(IllegalArgumentException.class, () -> InotifyMask.parse("bogus"));
    }
}
