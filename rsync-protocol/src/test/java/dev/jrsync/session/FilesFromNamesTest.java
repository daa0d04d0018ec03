package dev.jrsync.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --files-from} names on the wire ({@code rsync/io.c:forward_filesfrom_data}). */
class FilesFromNamesTest {
    @Test
    void eachNameEndsInANulAndOneMoreEndsTheList() {
        assertArrayEquals(new byte[] {'a', 0, 'b', '/', 'c', 0, 0}, FilesFromNames.encode(List.of("a", "", "b/c")));
        assertArrayEquals(new byte[] {0}, FilesFromNames.encode(List.of()));
    }

    @Test
    void theReaderStopsAtTheEmptyNameAndCutsOverlongOnes() {
        byte[] longName = new byte[FilesFromNames.MAX_NAME + 10];
        java.util.Arrays.fill(longName, (byte) 'x');
        byte[] wire = new byte[longName.length + 8];
        System.arraycopy(longName, 0, wire, 0, longName.length);
        byte[] tail = {0, 'y', 0, 0, 'z', 0, 0, 0};
        System.arraycopy(tail, 0, wire, longName.length, tail.length);
        ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(wire), 32);
        List<String> names = FilesFromNames.receive(in);
        assertEquals(2, names.size());
        assertEquals(FilesFromNames.MAX_NAME, names.getFirst().length());
        assertEquals("y", names.get(1));
        assertEquals('z', in.readUnsignedByte(), "what follows the list is left for the file list");
    }
}
