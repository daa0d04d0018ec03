package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransferStatsTest {

    /** Captured from {@code rsync -a --stats} (3.5.0) pushing to a daemon. */
    private static final String OUTPUT = """

            Number of files: 8 (reg: 3, dir: 2, link: 2, special: 1)
            Number of created files: 7 (reg: 3, dir: 1, link: 2, special: 1)
            Number of deleted files: 0
            Number of regular files transferred: 3
            Total file size: 300,020 bytes
            Total transferred file size: 300,008 bytes
            Literal data: 300,008 bytes
            Matched data: 0 bytes
            File list size: 0
            File list generation time: 0.001 seconds
            File list transfer time: 0.000 seconds
            Total bytes sent: 300,446
            Total bytes received: 90

            sent 300,446 bytes  received 90 bytes  601,072.00 bytes/sec
            total size is 300,020  speedup is 1.00
            """;

    @Test
    void parsesIntegerLines() {
        TransferStats s = TransferStats.parse(OUTPUT);
        assertEquals(8, s.numberOfFiles());
        assertEquals(3, s.regularFilesTransferred());
        assertEquals(300_020, s.totalFileSize());
        assertEquals(300_008, s.totalTransferredFileSize());
        assertEquals(300_008, s.literalData());
        assertEquals(0, s.matchedData());
        assertEquals(0, s.fileListSize());
        assertEquals(300_446, s.totalBytesSent());
        assertEquals(90, s.totalBytesReceived());
        assertEquals(7, s.get("Number of created files"));
    }

    @Test
    void timingsAreNotIntegers() {
        TransferStats s = TransferStats.parse(OUTPUT);
        assertThrows(AssertionError.class, () -> s.get("File list generation time"));
    }

    @Test
    void outputWithoutStatsFails() {
        assertThrows(AssertionError.class, () -> TransferStats.parse("sent 10 bytes  received 20 bytes\n"));
    }
}
