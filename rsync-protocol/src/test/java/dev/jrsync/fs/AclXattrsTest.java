package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.flist.RsyncAcl;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two byte forms of an ACL ({@code rsync/lib/sysacls.c}, {@code rsync/acls.c}'s fake-super branches) as vectors
 * taken from this machine: the kernel's {@code system.posix_acl_access} value that {@code setfacl -m u:1000:rwx}
 * left on a 0644 file, and the {@code user.rsync.%aacl} stock rsync 3.5.0's fake-super receiver stored.
 */
class AclXattrsTest {
    private static final int NO = RsyncAcl.NO_ENTRY;
    private static final int USER = RsyncAcl.NAME_IS_USER;
    /** Version 2; owner rw-, user 1000 rwx, group r--, mask rwx, others r--: (tag, bits, id) little-endian. */
    private static final String KERNEL = "02000000" + "01000600ffffffff" + "02000700e8030000" + "04000400ffffffff"
            + "10000700ffffffff" + "20000400ffffffff";
    private static final RsyncAcl FULL = new RsyncAcl(6, 4, 7, 4, List.of(new RsyncAcl.Ida(1000, 7 | USER)));
    /** Owner and others absent, group r--, mask rwx, users 7 r-- and 1000 rwx with rsync's NAME_IS_USER bit. */
    private static final String FAKE = "80000000" + "04000000" + "07000000" + "80000000"
            + "07000000" + "04000080" + "e8030000" + "07000080";
    private static final RsyncAcl CONDENSED = new RsyncAcl(NO, 4, 7, NO,
            List.of(new RsyncAcl.Ida(7, 4 | USER), new RsyncAcl.Ida(1000, 7 | USER)));

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void theKernelsValueReadsAndWritesAsItWas() throws IOException {
        assertEquals(FULL, AclXattrs.decodeKernel(bytes(KERNEL)));
        assertEquals(KERNEL, HexFormat.of().formatHex(AclXattrs.encodeKernel(FULL)));
    }

    @Test
    void namedEntriesGoInTheKernelsOrderUsersFirstByAscendingId() {
        RsyncAcl unordered = new RsyncAcl(7, 5, 7, 0, List.of(new RsyncAcl.Ida(9, 1), new RsyncAcl.Ida(3, 2),
                new RsyncAcl.Ida(-2, 4 | USER), new RsyncAcl.Ida(5, 4 | USER)));
        assertEquals("02000000" + "01000700ffffffff" + "0200040005000000" + "02000400feffffff"
                + "04000500ffffffff" + "0800020003000000" + "0800010009000000" + "10000700ffffffff"
                + "20000000ffffffff", HexFormat.of().formatHex(AclXattrs.encodeKernel(unordered)));
    }

    @Test
    void aValueOfAnotherVersionOrLengthIsRefused() {
        assertThrows(IOException.class, () -> AclXattrs.decodeKernel(bytes("03000000")));
        assertThrows(IOException.class, () -> AclXattrs.decodeKernel(bytes("02000000" + "0100")));
    }

    @Test
    void fakeSupersRecordIsStocksAndFillsWhatItLeftOutFromTheMode() {
        assertEquals(FAKE, HexFormat.of().formatHex(AclXattrs.encodeFake(CONDENSED)));
        RsyncAcl read = AclXattrs.decodeFake(bytes(FAKE), 0100674);
        assertEquals(new RsyncAcl(6, 4, 7, 4, CONDENSED.names()), read);
        assertNull(AclXattrs.decodeFake(bytes("80000000"), 0644), "shorter than its four object entries");
        assertNull(AclXattrs.decodeFake(bytes(FAKE + "01"), 0644), "not whole pairs");
    }

    @Test
    void anAccessAclIsComparedInWhatItsModeCannotSay() {
        RsyncAcl sent = FULL.stripped(0100674);
        // the mask equals the mode's group bits and there are names: left out, as are owner, group and others
        assertEquals(new RsyncAcl(NO, 4, NO, NO, FULL.names()), sent);
        RsyncAcl received = sent.withMask(false, 0100674);
        assertEquals(true, FULL.equalEnough(received, 0100674));
        assertEquals(false, RsyncAcl.ofMode(0100674).equalEnough(received, 0100674), "no mask here");
        assertEquals(false, new RsyncAcl(6, 5, 7, 4, FULL.names()).equalEnough(received, 0100674),
                "the owning group's bits, hidden by the mask");
        assertEquals(RsyncAcl.EMPTY, RsyncAcl.ofMode(0100644).stripped(0100644), "a plain file's says nothing");
        assertEquals(0754, new RsyncAcl(7, 1, 5, 4, List.of()).perms(), "a default ACL's bits, the mask's for group");
    }
}
