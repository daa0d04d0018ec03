package dev.jrsync.filter;

import dev.jrsync.flist.XattrRules;
import dev.jrsync.fs.ThreadCredentials;
import dev.jrsync.options.FilterArg;
import dev.jrsync.options.Options;
import java.util.List;

/**
 * Which extended attribute names {@code -X} handles on this side: rsync's {@code am_root} (fake super -1, {@code
 * --super} or the effective uid 1 for root) and its {@code saw_xattr_filter}, the 'x' rules of the command line's
 * {@code --filter}, {@code --exclude} and {@code --include} options (rules in files are not read for them).
 */
public final class XattrFilter {
    private XattrFilter() {}

    /** The rules {@code o} asks for, or null without {@code -X}. */
    public static XattrRules rules(Options o) {
        if (o.xattrs() == 0) {
            return null;
        }
        boolean root = o.superUser() != null ? o.superUser() : ThreadCredentials.euid() == 0;
        List<FilterArg> inline = o.filters().stream().filter(f -> f.kind() == FilterArg.Kind.FILTER
                || f.kind() == FilterArg.Kind.EXCLUDE || f.kind() == FilterArg.Kind.INCLUDE).toList();
        return new XattrRules(o.xattrs(), o.fakeSuper() ? -1 : root ? 1 : 0,
                inline.isEmpty() ? null : FilterRules.fromArgs(inline, false).xattrExclusion());
    }
}
