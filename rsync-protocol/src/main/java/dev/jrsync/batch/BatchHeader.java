package dev.jrsync.batch;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

/**
 * What a batch file holds before the sender's stream: the {@link StreamFlags} bitmap, then what the session's
 * setup settled (the protocol, from protocol 30 the compat flags, the checksum seed), so that the reader can
 * take the part of the receiving client of that session without a peer.
 */
// rsync/batch.c:write_stream_flags + io.c:start_write_batch; the read side main.c:read_stream_flags + compat.c:setup_protocol
public record BatchHeader(int streamFlags, int protocol, int compatFlags, int seed) {
    /** The versions rsync accepts from a peer at all (MIN_PROTOCOL_VERSION, MAX_PROTOCOL_VERSION). */
    private static final int ANY_MIN = 20;
    private static final int ANY_MAX = 40;

    public void write(ProtocolOutput out) {
        out.writeInt(streamFlags);
        out.writeInt(protocol);
        if (protocol >= 30) {
            out.writeVarint(compatFlags);
        }
        out.writeInt(seed);
    }

    /**
     * Reads a header, refusing a protocol newer than {@code newest} (what this side speaks) or older than
     * {@code oldest}, as rsync refuses a batch from a newer rsync.
     */
    public static BatchHeader read(ProtocolInput in, int oldest, int newest) {
        int flags = in.readInt();
        int protocol = in.readInt();
        if (protocol > newest && protocol <= ANY_MAX) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                    "The protocol version in the batch file is too new (" + protocol + " > " + newest + ").");
        }
        if (protocol < ANY_MIN || protocol > ANY_MAX) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                    "protocol version mismatch -- is your shell clean?\n(see the rsync manpage for an explanation)");
        }
        if (protocol < oldest) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "the batch file's protocol " + protocol
                    + " is older than jrsync reads (" + oldest + ")");
        }
        int compat = protocol >= 30 ? in.readVarint() : 0;
        int seed = in.readInt();
        return new BatchHeader(flags, protocol, compat, seed);
    }
}
