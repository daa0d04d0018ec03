package dev.jrsync.options;

import java.util.ArrayList;
import java.util.List;

/**
 * Path arguments (after ".") that jrsync deliberately sends otherwise than a stock client, with the reason;
 * the golden test allows exactly these.
 */
enum PathDeviation {
    /**
     * rsync://host/-m/ for a module named "-m": stock sends "./-m/", its rule for a leading dash, but the daemon
     * only strips a leading module name, so it looks for a directory "-m" inside the module (rsync 3.5.0's daemon
     * answers 'change_dir "-m" (in -m) failed'). jrsync sends "-m/", what stock sends for rsync://host/-m, which
     * the daemon reads as the module's root.
     */
    DASH_MODULE_ROOT("./-m/", "-m/");

    final String stock;
    final String jrsync;

    PathDeviation(String stock, String jrsync) {
        this.stock = stock;
        this.jrsync = jrsync;
    }

    /** Whether a stock list has this deviation's path argument. */
    boolean appliesTo(List<String> stockArgs) {
        return paths(stockArgs).contains(stock);
    }

    /** The stock list as jrsync is to send it. */
    static List<String> applyTo(List<String> stockArgs) {
        List<String> out = new ArrayList<>(stockArgs);
        for (int i = stockArgs.indexOf(".") + 1; i > 0 && i < out.size(); i++) {
            for (PathDeviation d : values()) {
                if (out.get(i).equals(d.stock)) {
                    out.set(i, d.jrsync);
                }
            }
        }
        return out;
    }

    private static List<String> paths(List<String> serverArgs) {
        return serverArgs.subList(serverArgs.indexOf(".") + 1, serverArgs.size());
    }
}
