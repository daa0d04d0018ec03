package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiving side's hard-link groups ({@code rsync/hlink.c}): the first name of a group the generator meets
 * leads, and is generated as any entry; once it is in place (found up to date, made, or received) every later
 * name becomes a link to it ({@code hard_link_check}, {@code finish_hard_link}, {@code maybe_hard_link}). A later
 * name met while the leader's data is still coming waits for it; a leader that a rule left out hands the lead to
 * the next name ({@code skip_hard_link}).
 *
 * <p>rsync picks, among a group's names, one that already exists as the basis when the first does not; jrsync
 * always lets the first lead, so a group that gains a name sorting before its others sends that file whole.
 */
final class HardLinks {
    /** One group: its leader once in place, or the names waiting for its data. */
    private static final class Group {
        Path leader;
        byte[] leaderName;
        boolean coming;
        final List<Integer> waiting = new ArrayList<>();
    }

    private final RecvContext ctx;
    private final RecvOptions o;
    private final FileList flist;
    private final DestPaths paths;
    private final QuickCheck quickCheck;
    private final Deleter deleter;
    private final Itemizer itemizer;
    private final AltDestBasis altDest;
    private final SessionLog log;
    private final Map<Integer, Group> groups = new HashMap<>();
    private int ioError;

    HardLinks(GenContext g) {
        this.ctx = g.recv();
        this.o = ctx.o();
        this.flist = ctx.flist();
        this.paths = ctx.paths();
        this.quickCheck = g.quickCheck();
        this.deleter = g.deleter();
        this.itemizer = g.itemizer();
        this.altDest = g.altDest();
        this.log = ctx.conn().log();
    }

    int ioError() {
        return ioError;
    }

    /**
     * A name of a group met by the generator: linked now if its leader is in place, or set to wait for the
     * leader's data; false if it is to lead, generated as any entry and then told to {@link #led}.
     */
    // rsync/hlink.c:hard_link_check
    boolean linkedOrWaiting(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        Group g = groups.computeIfAbsent(e.hardLinkGroup(), k -> new Group());
        if (g.leader != null) {
            link(ndx, e, path, st, g);
            return true;
        }
        if (g.coming) {
            g.waiting.add(ndx);
            return true;
        }
        return false;
    }

    /**
     * What became of a leader: in place, its group's later names link to it; asked of the sender, they wait for
     * {@link #arrived}; left out, the next name leads. A dry run transfers nothing, so a requested leader counts
     * as in place there, as rsync finishes the link at once without {@code do_xfers}.
     */
    void led(FileEntry e, Path path, RegularFileGenerator.Outcome outcome) {
        Group g = groups.get(e.hardLinkGroup());
        switch (outcome) {
            case IN_PLACE -> inPlace(g, e, path);
            case REQUESTED -> {
                if (o.dryRun()) {
                    inPlace(g, e, path);
                } else {
                    g.coming = true;
                }
            }
            case LEFT_OUT -> { }
        }
    }

    private void inPlace(Group g, FileEntry e, Path path) {
        g.leader = path;
        g.leaderName = e.name();
        if (o.dryRun() && DestPaths.lstat(path) == null) {
            // rsync/hlink.c:hard_link_check: a dry run made nothing, so a basis directory's copy stands for it
            AltDestBasis.Candidate c = altDest.best(e, paths.nameInDestDir(e));
            if (c != null && c.level() == AltDestBasis.UNCHANGED) {
                g.leader = c.path();
            }
        }
    }

    /** The receiver put a leader's data in place: the names that waited for it become links to it. */
    // rsync/hlink.c:finish_hard_link
    void arrived(FileEntry e) {
        Group g = groups.get(e.hardLinkGroup());
        if (g == null || !g.coming) {
            return;
        }
        g.coming = false;
        try {
            inPlace(g, e, paths.pathOf(e));
        } catch (SafeNames.UnsafePathException ex) {
            return; // it was received there; the receiver reported any change of the path
        }
        for (int ndx : g.waiting) {
            FileEntry later = flist.get(ndx);
            try {
                Path path = paths.pathOf(later);
                link(ndx, later, path, paths.destStat(path), g);
            } catch (SafeNames.UnsafePathException ex) {
                log.error("rsync: " + ex.getMessage());
                ioError |= Connection.IOERR_GENERAL;
            } catch (IOException ex) {
                log.error("rsync: link " + later.displayName() + " => " + e.displayName() + " failed: "
                        + Posix.describe(ex));
                ioError |= Connection.IOERR_GENERAL;
            }
        }
        g.waiting.clear();
    }

    /**
     * One name made a link to its leader, under a temporary name renamed over what was there; a name that is
     * that file already stays, reported only at {@code -ii}.
     */
    // rsync/hlink.c:maybe_hard_link
    private void link(int ndx, FileEntry e, Path path, LocalStat st, Group g) throws IOException {
        LocalStat leader = DestPaths.lstat(g.leader);
        if (st != null && leader != null && st.dev() == leader.dev() && st.ino() == leader.ino()) {
            itemizer.itemize(ndx, e, ItemFlags.LOCAL_CHANGE | ItemFlags.XNAME_FOLLOWS, Itemizer.NO_XNAME);
            ctx.reportUptodate(e, false);
            ctx.duplicated(ndx);
            return;
        }
        // a name missing here that a basis directory holds is reported against that copy, as not new
        LocalStat was = st != null ? st : altDest.forLaterLink(e, paths.nameInDestDir(e), leader);
        boolean quiet = st == null && was != null && altDest.quietLaterLink();
        int iflags = ItemFlags.LOCAL_CHANGE | ItemFlags.XNAME_FOLLOWS;
        if (was == null) {
            iflags |= ItemFlags.IS_NEW;
        } else {
            // rsync/generator.c:itemize: what differs from the name replaced; without -t its time always does
            iflags |= quickCheck.attrFlags(e, was, st != null ? path : null) | (was.size() != e.size() ? ItemFlags.REPORT_SIZE : 0)
                    | (ctx.attrs().preserve().timesOf(e) ? 0 : ItemFlags.REPORT_TIME);
        }
        if (!o.dryRun() && !deleter.placeFromTemp(path, st, e, tmp -> Files.createLink(tmp, g.leader))) {
            return;
        }
        if (!quiet) {
            itemizer.itemize(ndx, e, iflags, g.leaderName);
        } else {
            ctx.reportUptodate(e, false);
        }
        ctx.duplicated(ndx);
    }
}
