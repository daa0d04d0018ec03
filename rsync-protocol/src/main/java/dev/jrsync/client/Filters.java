package dev.jrsync.client;

import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.Options;
import dev.jrsync.wire.ProtocolOutput;

/** The session's filter rules (placeholder until the filter engine lands: no rules). */
public final class Filters {
    private Filters() {}

    public static Filters from(Options options) {
        return new Filters();
    }

    /** A push: {@code rsync/exclude.c:send_filter_list} from the sending client to the receiver. */
    public void sendToReceiver(ProtocolOutput out, int protocol, boolean deleteExcluded) {
        out.writeInt(0);
    }

    /** A pull: {@code rsync/exclude.c:send_filter_list} from the receiving client to the sender. */
    public void sendToSender(ProtocolOutput out, int protocol) {
        out.writeInt(0);
    }

    /** The sender's view: what the source scan leaves out. */
    public ScanFilter forScan() {
        return ScanFilter.NONE;
    }

    /** The receiver's view: names on the receiving side that deletion must leave alone. */
    public ScanFilter forDelete() {
        return ScanFilter.NONE;
    }
}
