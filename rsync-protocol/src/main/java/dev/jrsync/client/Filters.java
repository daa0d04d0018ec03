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

    /** {@code rsync/exclude.c:send_filter_list}: the rules, then an empty one to end the list. */
    public void sendToReceiver(ProtocolOutput out, int protocol, boolean deleteExcluded) {
        out.writeInt(0);
    }

    public ScanFilter forScan() {
        return ScanFilter.NONE;
    }
}
