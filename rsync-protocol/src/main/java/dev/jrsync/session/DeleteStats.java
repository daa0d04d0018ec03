package dev.jrsync.session;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

/** The five counters after {@code NDX_DEL_STATS} ({@code rsync/main.c:read_del_stats}, {@code write_del_stats}). */
public final class DeleteStats {
    private DeleteStats() {}

    public static void read(ProtocolInput in, TransferStats stats) {
        stats.deletedFiles = count(in);
        stats.deletedDirs = count(in);
        stats.deletedSymlinks = count(in);
        stats.deletedDevices = count(in);
        stats.deletedSpecials = count(in);
    }

    private static int count(ProtocolInput in) {
        int v = in.readVarint();
        if (v < 0) {
            throw new ProtocolException("negative delete statistic from the peer: " + v);
        }
        return v;
    }

    /** The first counter on the wire is the regular files alone, not the total. */
    public static void write(ProtocolOutput out, TransferStats stats) {
        out.writeNdx(dev.jrsync.wire.NdxCodec.NDX_DEL_STATS);
        out.writeVarint((int) stats.deletedFiles);
        out.writeVarint((int) stats.deletedDirs);
        out.writeVarint((int) stats.deletedSymlinks);
        out.writeVarint((int) stats.deletedDevices);
        out.writeVarint((int) stats.deletedSpecials);
    }
}
