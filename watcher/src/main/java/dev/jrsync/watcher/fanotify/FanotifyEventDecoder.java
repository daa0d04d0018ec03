package dev.jrsync.watcher.fanotify;

import dev.jrsync.core.PathBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what read(2) returns from a fanotify descriptor in FID mode, in native byte order: a sequence of
 * {@code struct fanotify_event_metadata} (u32 event_len, u8 vers, u8 reserved, u16 metadata_len, u64 mask, s32 fd,
 * s32 pid), each followed, up to event_len, by info records: a header (u8 info_type, u8 pad, u16 len), the fsid
 * (8 bytes), a {@code struct file_handle} (u32 handle_bytes, s32 handle_type, the bytes) and, for the *_DFID_NAME
 * types, a NUL-terminated name padded to len. Record types it does not use are skipped by their length.
 */
public final class FanotifyEventDecoder {
    private FanotifyEventDecoder() {}

    public static final int METADATA_BYTES = 24;
    private static final int INFO_HEADER_BYTES = 4;
    private static final int FSID_BYTES = 8;
    private static final int HANDLE_HEADER_BYTES = 8;

    /**
     * Decodes every event from the buffer's position to its limit.
     *
     * @throws IllegalArgumentException if an event or record runs past its bounds or has another metadata version;
     *                                  the kernel never splits an event, so this means a bug or a corrupted buffer
     */
    public static List<FanotifyEvent> decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.slice().order(ByteOrder.nativeOrder());
        List<FanotifyEvent> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < METADATA_BYTES) {
                throw new IllegalArgumentException("truncated fanotify event at byte " + at + ": " + in.remaining()
                        + " of " + METADATA_BYTES + " bytes");
            }
            int eventLen = in.getInt(at);
            int version = in.get(at + 4) & 0xff;
            int metadataLen = in.getShort(at + 6) & 0xffff;
            if (version != FanotifyMask.METADATA_VERSION) {
                throw new IllegalArgumentException("fanotify metadata version " + version + " at byte " + at
                        + ", expected " + FanotifyMask.METADATA_VERSION);
            }
            if (eventLen < METADATA_BYTES || metadataLen < METADATA_BYTES || metadataLen > eventLen
                    || eventLen > in.remaining()) {
                throw new IllegalArgumentException("fanotify event at byte " + at + " claims " + eventLen
                        + " bytes (metadata " + metadataLen + "), " + in.remaining() + " left");
            }
            long mask = in.getLong(at + 8);
            events.add(event(in.slice(at + metadataLen, eventLen - metadataLen).order(in.order()), mask, at));
            in.position(at + eventLen);
        }
        return events;
    }

    private static FanotifyEvent event(ByteBuffer info, long mask, int at) {
        FileHandle dir = null;
        String name = null;
        FileHandle fromDir = null;
        String fromName = null;
        while (info.hasRemaining()) {
            int start = info.position();
            if (info.remaining() < INFO_HEADER_BYTES) {
                throw new IllegalArgumentException("truncated fanotify info record in the event at byte " + at);
            }
            int type = info.get(start) & 0xff;
            int len = info.getShort(start + 2) & 0xffff;
            if (len < INFO_HEADER_BYTES || len > info.remaining()) {
                throw new IllegalArgumentException("fanotify info record of " + len + " bytes in the event at byte "
                        + at + ", " + info.remaining() + " left");
            }
            if (type == FanotifyMask.INFO_DFID_NAME || type == FanotifyMask.INFO_NEW_DFID_NAME
                    || type == FanotifyMask.INFO_OLD_DFID_NAME) {
                ByteBuffer rec = info.slice(start, len).order(info.order());
                int handleAt = INFO_HEADER_BYTES + FSID_BYTES;
                if (len < handleAt + HANDLE_HEADER_BYTES) {
                    throw new IllegalArgumentException("fanotify fid record too short in the event at byte " + at);
                }
                int handleBytes = rec.getInt(handleAt);
                int handleType = rec.getInt(handleAt + 4);
                int nameAt = handleAt + HANDLE_HEADER_BYTES + handleBytes;
                if (handleBytes < 0 || nameAt > len) {
                    throw new IllegalArgumentException("fanotify file handle of "
                            + Integer.toUnsignedString(handleBytes) + " bytes overruns its record in the event at byte "
                            + at);
                }
                byte[] handle = new byte[handleBytes];
                rec.get(handleAt + HANDLE_HEADER_BYTES, handle);
                int end = nameAt;
                while (end < len && rec.get(end) != 0) {
                    end++;
                }
                byte[] raw = new byte[end - nameAt];
                rec.get(nameAt, raw);
                FileHandle h = new FileHandle(handleType, handle);
                String n = PathBytes.text(raw);
                if (type == FanotifyMask.INFO_OLD_DFID_NAME) {
                    fromDir = h;
                    fromName = n;
                } else {
                    dir = h;
                    name = n;
                }
            }
            info.position(start + len);
        }
        return new FanotifyEvent(mask, dir, name, fromDir, fromName);
    }
}
