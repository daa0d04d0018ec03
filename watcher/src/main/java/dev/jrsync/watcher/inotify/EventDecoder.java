package dev.jrsync.watcher.inotify;

import dev.jrsync.core.PathBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes what read(2) returns from an inotify descriptor: a sequence of {@code struct inotify_event} (int wd,
 * uint32 mask, uint32 cookie, uint32 len, name[len]) in native byte order, the name NUL-padded to {@code len}.
 */
public final class EventDecoder {
    private EventDecoder() {}

    public static final int HEADER_BYTES = 16;

    /**
     * Decodes every event from the buffer's position to its limit.
     *
     * @throws IllegalArgumentException if an event header or name runs past the end; the kernel never splits an
     *                                  event, so this means a caller bug or a corrupted buffer
     */
    public static List<InotifyEvent> decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.slice().order(ByteOrder.nativeOrder());
        List<InotifyEvent> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < HEADER_BYTES) {
                throw new IllegalArgumentException("truncated inotify event header at byte " + at + ": "
                        + in.remaining() + " of " + HEADER_BYTES + " bytes");
            }
            int wd = in.getInt();
            int mask = in.getInt();
            int cookie = in.getInt();
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) {
                throw new IllegalArgumentException("truncated inotify event name at byte " + at + ": needs "
                        + Integer.toUnsignedString(len) + " bytes, " + in.remaining() + " left");
            }
            byte[] raw = new byte[len];
            in.get(raw);
            int end = 0;
            while (end < len && raw[end] != 0) {
                end++;
            }
            events.add(new InotifyEvent(wd, mask, cookie, PathBytes.text(Arrays.copyOf(raw, end))));
        }
        return events;
    }
}
