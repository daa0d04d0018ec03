package dev.jrsync.batch;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitmap of stream-shaping options a batch file opens with: a batch replays only under the options that
 * shaped its stream, so the reader takes them from here. Bit {@code i} is option {@link #NAMES}{@code [i]}; bits
 * 7 and 8 exist from protocol 29, bits 9 to 14 from protocol 30.
 */
// rsync/batch.c:write_stream_flags, read_stream_flags, check_batch_flags
public final class StreamFlags {
    private StreamFlags() {}

    /** The options in bit order, as the reader's messages name them. */
    static final List<String> NAMES = List.of("--recurse (-r)", "--owner (-o)", "--group (-g)", "--links (-l)",
            "--devices (-D)", "--hard-links (-H)", "--checksum (-c)", "--dirs (-d)", "--compress (-z)", "--iconv",
            "--acls (-A)", "--xattrs (-X)", "--inplace", "--append", "--append-verify");
    private static final int ICONV = 9;

    /** The bitmap for {@code o}, all bits (the writer does not know which protocol the reader will check). */
    public static int of(Options o) {
        boolean[] set = {o.recursive(), o.owner(), o.group(), o.links(), o.devices(), o.hardLinks() > 0,
            o.checksum(), o.transfersDirs(), o.compressionRequested(), false, false, o.xattrs() > 0,
            o.inplaceMode(), o.appendMode() == 1, o.appendMode() == 2};
        int flags = 0;
        for (int i = 0; i < set.length; i++) {
            if (set[i]) {
                flags |= 1 << i;
            }
        }
        return flags;
    }

    /**
     * Makes {@code o} agree with a batch's {@code flags} for the bits {@code protocol} has, returning the lines
     * rsync prints at {@code -v} for each option it changed. A batch made with {@code --iconv} cannot be read
     * without it (jrsync has no {@code --iconv}), nor one made without it read with it.
     */
    public static List<String> apply(int flags, int protocol, OptionsBuilder o) {
        int bits = protocol < 29 ? 7 : protocol < 30 ? 9 : NAMES.size();
        Options now = o.build();
        int have = of(now);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < bits; i++) {
            boolean set = (flags & (1 << i)) != 0;
            if (set == ((have & (1 << i)) != 0)) {
                continue;
            }
            if (i == ICONV) {
                throw new RsyncException(ExitCode.SYNTAX, (set ? "Please" : "Do not")
                        + " specify the --iconv option to use this batch file.");
            }
            changed.add((set ? "Setting" : "Clearing") + " the " + NAMES.get(i) + " option to match the batchfile.");
            set(o, i, set);
        }
        if (protocol < 29) {
            // the bitmap had no --dirs then: directories go as recursion says
            o.dirs = o.recursive;
        }
        return changed;
    }

    private static void set(OptionsBuilder o, int bit, boolean on) {
        switch (bit) {
            case 0 -> o.recursive = on;
            case 1 -> o.owner = on;
            case 2 -> o.group = on;
            case 3 -> o.links = on;
            case 4 -> o.devices = on;
            case 5 -> o.hardLinks = on ? Math.max(o.hardLinks, 1) : 0;
            case 6 -> o.checksum = on;
            case 7 -> o.dirs = on;
            case 8 -> o.compress = on ? Math.max(o.compress, 1) : 0;
            case 10 -> throw new RsyncException(ExitCode.UNSUPPORTED,
                    "jrsync: this batch file was written with --acls, which jrsync does not support");
            case 11 -> o.xattrs = on ? Math.max(o.xattrs, 1) : 0;
            case 12 -> o.inplace = on;
            case 13 -> o.appendMode = on ? 1 : o.appendMode == 1 ? 0 : o.appendMode;
            case 14 -> o.appendMode = on ? 2 : o.appendMode == 2 ? 0 : o.appendMode;
            default -> throw new IllegalArgumentException("no stream flag " + bit);
        }
    }
}
