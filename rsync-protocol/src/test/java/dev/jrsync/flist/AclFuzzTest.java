package dev.jrsync.flist;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;

/**
 * What a {@code -A} sender sends after each file-list entry ({@code rsync/acls.c:receive_acl}, {@code
 * recv_rsync_acl}, {@code recv_ida_entries}): an access ACL, and a directory's default ACL, each new or an index
 * into those of its type read before, with names inline. Input: one byte of options (this side fake super, so bits
 * go unchecked; the entries directories), then the stream.
 */
class AclFuzzTest {
    private static final FileListOptions OPTIONS = new FileListOptions(32, true, true, true, true, true, true, 0,
            false, false, true, 1000, true, false, null, true, false, false, false);

    @FuzzTest(maxDuration = "3s")
    void acls(byte[] data) {
        if (data.length < 1) {
            return;
        }
        boolean fakeSuper = (data[0] & 1) != 0;
        boolean dirs = (data[0] & 2) != 0;
        HostileInput.decode(data, d -> {
            ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(d, 1, d.length - 1), 32);
            AclListReader acls = AclListReader.standalone(OPTIONS, fakeSuper);
            while (true) { // until the input ends, as a session's stream does
                RsyncAcl acl = acls.readAccess(in).withMask(false, 0100644);
                if (dirs) {
                    acls.readDefault(in).withMask(true, 0);
                }
                acl.equalEnough(acl, 0644);
            }
        });
    }
}
