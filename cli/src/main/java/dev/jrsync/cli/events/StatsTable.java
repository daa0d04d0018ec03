package dev.jrsync.cli.events;

import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.TreeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** inotifywatch's statistics: per watched path, the total and per-event counts, printed as its table. */
final class StatsTable {
    private static final int[] BITS = {InotifyMask.ACCESS, InotifyMask.MODIFY, InotifyMask.ATTRIB,
            InotifyMask.CLOSE_WRITE, InotifyMask.CLOSE_NOWRITE, InotifyMask.OPEN, InotifyMask.MOVED_FROM,
            InotifyMask.MOVED_TO, InotifyMask.MOVE_SELF, InotifyMask.CREATE, InotifyMask.DELETE,
            InotifyMask.DELETE_SELF, InotifyMask.UNMOUNT};
    private static final String[] NAMES = {"access", "modify", "attrib", "close_write", "close_nowrite", "open",
            "moved_from", "moved_to", "move_self", "create", "delete", "delete_self", "unmount"};

    private static final class Row {
        final String path;
        final int order;
        long total;
        final long[] hits = new long[BITS.length];

        Row(String path, int order) {
            this.path = path;
            this.order = order;
        }

        long key(int sortBit) {
            if (sortBit == 0) {
                return total;
            }
            for (int i = 0; i < BITS.length; i++) {
                if (BITS[i] == sortBit) {
                    return hits[i];
                }
            }
            return 0;
        }
    }

    private final int events;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final long[] totals = new long[BITS.length];
    private long grandTotal;

    StatsTable(int events) {
        this.events = events;
    }

    /** Watches in the order they were established, so ties sort as inotifywatch's by watch descriptor. */
    void addWatch(String path) {
        rows.computeIfAbsent(path, p -> new Row(p, rows.size()));
    }

    void record(TreeEvent e) {
        if (e.watchPath().isEmpty() || (e.mask() & events) == 0) {
            return;
        }
        Row row = rows.computeIfAbsent(e.watchPath(), p -> new Row(p, rows.size()));
        row.total++;
        grandTotal++;
        for (int i = 0; i < BITS.length; i++) {
            if ((e.mask() & BITS[i]) != 0) {
                row.hits[i]++;
                totals[i]++;
            }
        }
    }

    boolean isEmpty() {
        return grandTotal == 0;
    }

    /** The table; {@code sort} as in {@link EventsArgs#sort}, {@code zero} also lists columns and rows at 0. */
    String render(int sort, boolean zero) {
        boolean[] shown = new boolean[BITS.length];
        StringBuilder out = new StringBuilder("total  ");
        for (int i = 0; i < BITS.length; i++) {
            shown[i] = (events & BITS[i]) != 0 && (zero || totals[i] > 0);
            if (shown[i]) {
                out.append(NAMES[i]).append("  ");
            }
        }
        out.append("filename\n");
        int bit = sort == -1 ? 0 : Math.abs(sort);
        boolean ascending = sort >= 0;
        Comparator<Row> byKey = Comparator.comparingLong(r -> r.key(bit));
        Comparator<Row> order = (ascending ? byKey : byKey.reversed()).thenComparingInt(r -> r.order);
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort(order);
        for (Row r : sorted) {
            if (!zero && r.total == 0) {
                continue;
            }
            out.append(pad(r.total, 5));
            for (int i = 0; i < BITS.length; i++) {
                if (shown[i]) {
                    out.append(pad(r.hits[i], NAMES[i].length()));
                }
            }
            out.append(r.path).append('\n');
        }
        return out.toString();
    }

    private static String pad(long n, int width) {
        return String.format("%-" + width + "d  ", n);
    }
}
