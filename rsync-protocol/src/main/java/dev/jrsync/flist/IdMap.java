package dev.jrsync.flist;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A receiver's {@code --usermap} or {@code --groupmap} ({@code --chown} is "*:USER" and "*:GROUP"): rules
 * "FROM:TO", tried in order against each id the sender lists, the first that matches giving the local id. FROM is
 * the sender's name, a wildcard pattern on it, an id or an id range "LOW-HIGH"; TO is a local name or id.
 */
// rsync/uidlist.c:parse_name_map, and recv_add_id's use of the map
public final class IdMap {
    /**
     * A rule: {@code name} (exact, or a pattern when {@code wild} is set) or, when null, the id range {@code
     * low}..{@code high}.
     */
    private record Rule(String name, PathMatcher wild, long low, long high, int to) {
        boolean matches(int id, String idName) {
            if (name == null) {
                long unsigned = Integer.toUnsignedLong(id);
                return unsigned >= low && unsigned <= high;
            }
            String n = idName == null ? "" : idName;
            return wild != null ? !n.contains("/") && wild.matches(Path.of(n)) : name.equals(n);
        }
    }

    /** No rules: ids are mapped by name only. */
    public static final IdMap NONE = new IdMap(List.of());

    private final List<Rule> rules;

    private IdMap(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * The rules of {@code spec} for users ({@code users}) or groups, their targets looked up in {@code local};
     * null gives {@link #NONE}.
     *
     * @throws RsyncException rsync's syntax errors (exit code 1) for a rule without a colon or a target, a bad
     *                        number, or a target this machine does not know
     */
    public static IdMap parse(String spec, boolean users, IdNames local) {
        if (spec == null) {
            return NONE;
        }
        String what = users ? "user" : "group";
        List<Rule> rules = new ArrayList<>();
        for (String item : spec.split(",", -1)) {
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw syntax("No colon found in --" + what + "map: " + item);
            }
            String from = item.substring(0, colon);
            String to = item.substring(colon + 1);
            if (to.isEmpty()) {
                throw syntax("No name found after colon --" + what + "map: " + item);
            }
            OptionalInt target = target(to, users, local);
            if (target.isEmpty()) {
                throw syntax("Unknown --" + what + "map name on receiver: " + to);
            }
            if (!from.isEmpty() && Character.isDigit(from.charAt(0))) {
                int dash = from.indexOf('-');
                String low = dash < 0 ? from : from.substring(0, dash);
                String high = dash < 0 ? from : from.substring(dash + 1);
                if (!low.matches("[0-9]{1,10}") || !high.matches("[0-9]{1,10}")) {
                    throw syntax("Invalid number in --" + what + "map: " + from);
                }
                rules.add(new Rule(null, null, Long.parseLong(low), Long.parseLong(high), target.getAsInt()));
            } else {
                boolean wild = from.chars().anyMatch(c -> c == '*' || c == '[' || c == '?');
                // a name has no '/', where the JDK's glob and rsync's wildmatch agree ("*", "?", "[...]")
                rules.add(new Rule(from, wild ? FileSystems.getDefault().getPathMatcher("glob:" + from) : null, 0, 0,
                        target.getAsInt()));
            }
        }
        return new IdMap(List.copyOf(rules));
    }

    // rsync/uidlist.c:user_to_uid/group_to_gid with numbers allowed
    private static OptionalInt target(String to, boolean users, IdNames local) {
        if (to.matches("[0-9]{1,10}") && Long.parseLong(to) <= 0xFFFFFFFFL) {
            return OptionalInt.of((int) Long.parseLong(to));
        }
        return users ? local.uidOf(to) : local.gidOf(to);
    }

    private static RsyncException syntax(String message) {
        return new RsyncException(ExitCode.SYNTAX, message);
    }

    /** Whether there are no rules. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The local id the first matching rule gives the sender's {@code id} named {@code name} (null: unnamed). */
    public OptionalInt map(int id, String name) {
        for (Rule r : rules) {
            if (r.matches(id, name)) {
                return OptionalInt.of(r.to());
            }
        }
        return OptionalInt.empty();
    }
}
