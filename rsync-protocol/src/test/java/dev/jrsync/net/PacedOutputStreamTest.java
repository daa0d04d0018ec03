package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** --bwlimit on a plain stream: every byte arrives, and no faster than the rate allows (a lower bound only). */
class PacedOutputStreamTest {
    @Test
    void writesEverythingAtNoMoreThanTheRate() throws IOException {
        byte[] data = new byte[400_000];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (PacedOutputStream out = new PacedOutputStream(sink, 1_000_000)) {
            out.write(data, 0, 1);
            out.write(data, 1, 250_000);
            for (int i = 250_001; i < 260_000; i++) {
                out.write(data[i]);
            }
            out.write(data, 260_000, data.length - 260_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertArrayEquals(data, sink.toByteArray());
        // 400 kB at 1 MB/s: the last tenth of a second may be owed, not slept
        assertTrue(seconds >= 0.29, "400 kB at 1 MB/s took only " + seconds + " s");
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PacedOutputStream(new ByteArrayOutputStream(), 0));
    }
}
