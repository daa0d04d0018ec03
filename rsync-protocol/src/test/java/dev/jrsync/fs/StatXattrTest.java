package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code user.rsync.%stat} codec against the bytes stock rsync 3.5.0 writes ({@code set_stat_xattr}'s
 * {@code "%o %u,%u %u:%u"}, values taken from {@code rsync -aD --numeric-ids --fake-super} of a setuid file, a
 * FIFO, a device and a symlink) and the leniency of its {@code sscanf("%o %d,%d %d:%d")}.
 */
class StatXattrTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void encodesAsStockRsyncWrites() {
        assertArrayEquals(ascii("104755 0,0 1234:5678"), new StatXattr(0104755, 0, 0, 1234, 5678).encode());
        assertArrayEquals(ascii("10640 0,0 0:0"), new StatXattr(0010640, 0, 0, 0, 0).encode());
        assertArrayEquals(ascii("20644 4,5 0:0"), new StatXattr(0020644, 4, 5, 0, 0).encode());
        assertArrayEquals(ascii("120777 0,0 1234:5678"), new StatXattr(0120777, 0, 0, 1234, 5678).encode());
        assertArrayEquals(ascii("40750 0,0 65534:65534"), new StatXattr(040750, 0, 0, 65534, 65534).encode());
    }

    @Test
    void idsAndDeviceNumbersAreUnsigned() {
        assertArrayEquals(ascii("60600 4095,1048575 4294967294:4294967295"),
                new StatXattr(060600, 4095, 1048575, -2, -1).encode());
    }

    @Test
    void decodesWhatItEncodes() {
        StatXattr x = new StatXattr(0106755, 259, 65536, 1000, 100);
        assertEquals(x, StatXattr.decode(x.encode()));
        assertEquals(new StatXattr(0020644, 4, 5, 0, 0), StatXattr.decode(ascii("20644 4,5 0:0")));
    }

    @Test
    void readsAsSscanfDoes() {
        // blanks before each number and wherever the format has a space, signs, and anything after the fifth
        assertEquals(new StatXattr(0100644, 0, 0, 1, 2), StatXattr.decode(ascii("  100644\t 0,0   1:2")));
        assertEquals(new StatXattr(0100644, 0, 0, -1, 2), StatXattr.decode(ascii("100644 +0,0 -1:2 trailing")));
        assertEquals(new StatXattr(0100644, 0, 0, 1, 2), StatXattr.decode(ascii("100644 0,0 1:2\0junk")));
        // a space in the format matches zero blanks too; %d wraps as the C conversion does
        assertEquals(new StatXattr(0100644, 7, 0, 1, 2), StatXattr.decode(ascii("100644+7,0 1:2")));
        assertEquals(new StatXattr(0100644, 0, 0, -1, 2), StatXattr.decode(ascii("100644 0,0 4294967295:2")));
    }

    @Test
    void refusesWhatSscanfCannotFill() {
        // each of these fills fewer than five fields in glibc's sscanf (checked through ctypes)
        for (String bad : new String[] {"", "100644", "100644 0,0 1:", "100644 0 ,0 1:2", "100644 0,0 1 :2",
                "x100644 0,0 1:2", "100648 0,0 1:2", "100644 0;0 1:2", "1006447,0 1:2"}) {
            assertThrows(StatXattr.CorruptException.class, () -> StatXattr.decode(ascii(bad)), bad);
        }
    }
}
