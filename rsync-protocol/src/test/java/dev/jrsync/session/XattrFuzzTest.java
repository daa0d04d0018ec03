package dev.jrsync.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrListReader;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;

/**
 * What a {@code -X} sender sends a receiver ({@code rsync/xattrs.c:receive_xattr}, then {@code recv_xattr_request}
 * on the receiving side): entry after entry, a set of extended attributes (new, or an index into those read), then
 * the long values the sender answers with after the item's flags. Input: one byte of options (-X or -XX, and this
 * side root, not root or fake super), then the stream.
 */
class XattrFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void xattrs(byte[] data) {
        if (data.length < 1) {
            return;
        }
        XattrRules rules = new XattrRules(1 + (data[0] & 1), (data[0] >> 1 & 3) % 3 - 1);
        HostileInput.decode(data, d -> {
            ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(d, 1, d.length - 1), 32);
            XattrListReader sets = new XattrListReader(rules);
            XattrReceiver values = new XattrReceiver(rules, false, false, new RecordingLog());
            while (true) { // until the input ends, as a session's stream does
                XattrSet set = sets.read(in, "f");
                FileEntry e = FileEntry.builder("f", 0100644).xattrs(set).build();
                values.readValues(in, e, ItemFlags.REPORT_XATTR);
            }
        });
    }
}
