package dev.jrsync.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.ProtocolInput;

/**
 * A peer's multiplexed stream ({@code rsync/io.c:read_a_msg}): frame headers, data frames read across
 * their boundaries, and every out-of-band message handed to the session's handler
 * ({@link Connection#onMessage}: text, I/O errors, timeouts, deletions, no-send, success, error exit).
 * Input: one byte (protocol 29-32, whether we are the sender, whether deletions are shown), then the
 * stream as it arrives after the handshake.
 */
class MultiplexFuzzTest {
    /** Read sizes that make values straddle frames, as the file list's and tokens' reads do. */
    private static final int[] READS = {1, 4, 2, 9, 3, 700, 5, 32 * 1024};

    @FuzzTest(maxDuration = "3s")
    void multiplexedStream(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] buf = new byte[32 * 1024];
        HostileInput.decode(data, d -> {
            Connection conn = HostileInput.connection(d, 1);
            int protocol = 29 + (d[0] & 3);
            conn.setProtocol(protocol);
            conn.setSender((d[0] & 0x04) != 0);
            conn.startMultiplexIn();
            // as every role does: our own output is multiplexed from protocol 30 on (a pre-30 client's is raw)
            if (protocol >= 30) {
                conn.startMultiplexOut();
            }
            ProtocolInput in = conn.in();
            for (int i = 0; ; i++) {
                // the sender asks before each read whether a request waits (frames are parsed on the way)
                if ((i & 1) == 0) {
                    try {
                        in.stream().available();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                in.readFully(buf, 0, READS[i % READS.length]);
            }
        });
    }
}
