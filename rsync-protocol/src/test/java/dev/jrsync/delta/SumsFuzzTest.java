package dev.jrsync.delta;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;

/**
 * A generator's sum head and block sums as the sender reads them ({@code rsync/sender.c:receive_sums},
 * {@code io.c:read_sum_head}). Input: one byte choosing the protocol (28-32) and digest length, then the
 * wire bytes.
 */
class SumsFuzzTest {
    private static final int[] DIGEST_LENGTHS = {16, 20, 8, 16};

    @FuzzTest(maxDuration = "3s")
    void blockSums(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int protocol = 28 + (data[0] & 0x7) % 5;
        int digest = DIGEST_LENGTHS[(data[0] >> 3) & 3];
        HostileInput.decode(data, d -> BlockSums.read(
                new ProtocolInput(new ByteArrayInputStream(d, 1, d.length - 1), protocol), protocol, digest));
    }
}
