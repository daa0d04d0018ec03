package dev.jrsync.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What follows an item's flags under {@code -X} ({@code rsync/xattrs.c:send_xattr_request}, {@code
 * recv_xattr_request}) as byte vectors: the generator's request (differences of item numbers, ended by 0), the
 * sender's answer (each number's difference, the value's length and bytes), and requests a hostile peer could send.
 */
class XattrRequestTest {
    private static final byte[] LONG_B = "b".repeat(40).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_C = "c".repeat(33).getBytes(StandardCharsets.US_ASCII);
    /** user.a short (#1), user.b and user.c long (#2, #3). */
    private static final FileEntry E = FileEntry.builder("f", 0100644).xattrs(new XattrSet(List.of(
            XattrSet.item(b("user.a"), b("short"), 1), XattrSet.item(b("user.b"), LONG_B, 2),
            XattrSet.item(b("user.c"), LONG_C, 3)))).build();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ProtocolInput in(String hex) {
        return new ProtocolInput(new ByteArrayInputStream(HexFormat.of().parseHex(hex)), 32);
    }

    @Test
    void aRequestNamesTheLongValuesByTheirNumbersDifferences() {
        XattrRequestReader r = new XattrRequestReader(E, "sender");
        ProtocolInput in = in("02" + "01" + "00");
        assertEquals(1, r.next(in));
        assertEquals(2, r.next(in));
        assertEquals(-1, r.next(in));
    }

    @Test
    void theSendersAnswerGivesTheReceiverTheValues() {
        XattrReceiver receiver = new XattrReceiver(new XattrRules(1, 1), false, false, new RecordingLog());
        String answer = "03" + "21" + HexFormat.of().formatHex(LONG_C) + "ff" + "28" + HexFormat.of().formatHex(LONG_B)
                + "00"; // #3, then #2 (3 + -1): the receiver follows the sender's numbers either way
        receiver.readValues(in(answer.replace("ff", "f0ffffffff")), E, ItemFlags.REPORT_XATTR);
        XattrSet set = E.xattrs();
        assertArrayEquals(LONG_B, receiver.of(set, set.items().get(1)));
        assertArrayEquals(LONG_C, receiver.of(set, set.items().get(2)));
        // no request follows a dry run's flags, nor flags without ITEM_REPORT_XATTR
        receiver.readValues(in(""), E, ItemFlags.TRANSFER);
        new XattrReceiver(new XattrRules(1, 1), true, false, new RecordingLog())
                .readValues(in(""), E, ItemFlags.REPORT_XATTR);
    }

    private static String refused(String hex) {
        return assertThrows(ProtocolException.class, () -> {
            XattrRequestReader r = new XattrRequestReader(E, "sender");
            ProtocolInput in = in(hex);
            while (r.next(in) >= 0) {
                // read on
            }
        }).getMessage();
    }

    @Test
    void hostileRequestsAreRefused() {
        assertTrue(refused("01").contains("could not find xattr #1"), "a short value is never asked for");
        assertTrue(refused("05").contains("could not find xattr #5"));
        assertTrue(refused("02" + "f0ffffff7f").contains("rel_pos accumulation overflow"));
        assertTrue(refused("f0ffffffff").contains("could not find xattr #-1"));
        String tooLong = assertThrows(ProtocolException.class, () -> new XattrReceiver(new XattrRules(1, 1),
                false, false, new RecordingLog()).readValues(in("02" + "e8010000"), E, ItemFlags.REPORT_XATTR))
                .getMessage();
        assertTrue(tooLong.contains("xattr datum_len exceeds per-value limit"), tooLong);
    }
}
