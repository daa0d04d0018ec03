package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.AltDest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code --compare-dest}, {@code --copy-dest} and {@code --link-dest}: an entry the destination lacks, looked up
 * in the basis directories, and left out, hard-linked, copied or used as the delta's basis from there
 * ({@code rsync/generator.c:try_dests_reg}, {@code try_dests_non}, {@code copy_altdest_file}).
 */
final class AltDestBasis {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final BasisDirs basisDirs;
    private final RecvOptions o;
    private final QuickCheck quickCheck;
    private final AttrSetter attrs;
    private final SessionLog log;
    /** Reads a symlink's target as the session sees it (fake super keeps it in a file). */
    private final DestPaths paths;
    private final Itemizer itemizer;
    private final RecvContext ctx;

    AltDestBasis(RecvContext ctx, BasisDirs basisDirs, QuickCheck quickCheck, Itemizer itemizer) {
        this.ctx = ctx;
        this.basisDirs = basisDirs;
        this.o = ctx.o();
        this.quickCheck = quickCheck;
        this.attrs = ctx.attrs();
        this.log = ctx.conn().log();
        this.paths = ctx.paths();
        this.itemizer = itemizer;
    }

    /** How closely a basis directory's copy matches an entry ({@code try_dests_reg}'s match_level). */
    static final int SAME_TYPE = 1;
    static final int QUICK_CHECK_OK = 2;
    static final int UNCHANGED = 3;

    /** The best copy of an entry among the basis directories: directory {@code dir}, at {@code level}. */
    record Candidate(int dir, Path path, LocalStat st, int level) {}

    /**
     * The first basis directory holding the entry unchanged, else the first where it passes the quick
     * check, else the first with the same type; null when none has it.
     */
    // rsync/generator.c:try_dests_reg and try_dests_non (the search)
    Candidate best(FileEntry e, byte[] name) {
        Candidate best = null;
        for (int j = 0; j < basisDirs.size(); j++) {
            Path p;
            try {
                p = basisDirs.resolve(j, name);
            } catch (SafeNames.UnsafePathException ex) {
                continue;
            }
            // a basis directory itself is held as /proc/self/fd/N, a link that lstat would not follow; with
            // --fake-super its copy is what the stored attributes say, as the destination's own files are
            Path itself = e.isRootDot() ? p.resolve(".") : p;
            LocalStat st = paths.destStat(itself);
            if (st == null || st.type() != (e.mode() & LocalStat.S_IFMT)) {
                continue;
            }
            int level = !basisQuickCheck(e, p, st) ? SAME_TYPE
                    : quickCheck.attrFlags(e, st, itself) != 0 || itemizer.xattrsDiffer(e, itself) ? QUICK_CHECK_OK : UNCHANGED;
            if (best == null || level > best.level()) {
                best = new Candidate(j, p, st, level);
            }
            if (level == UNCHANGED) {
                break;
            }
        }
        return best;
    }


    // rsync/generator.c:quick_check_ok for each file type
    private boolean basisQuickCheck(FileEntry e, Path p, LocalStat st) {
        if (e.isRegular()) {
            return quickCheck.quickCheckOk(e, p, st);
        }
        if (e.isSymlink()) {
            try {
                return e.linkTarget() != null && Arrays.equals(paths.readlink(p), e.linkTarget());
            } catch (IOException ex) {
                return false;
            }
        }
        return !e.isDevice() || st.rdev() == Posix.makedev(e.rdevMajor(), e.rdevMinor());
    }

    /**
     * Settles a regular file from candidate {@code c} when it can ({@code try_dests_reg}): unchanged there,
     * {@code --compare-dest} leaves it out and {@code --link-dest} hard-links it (an existing destination file
     * goes first, unless it already is that link); passing the quick check there (or unchanged with
     * {@code --copy-dest}, or a link that failed), a missing file is copied locally. False when the file still
     * needs the sender; a missing one then uses {@code c} as its basis.
     */
    // rsync/generator.c:try_dests_reg
    boolean settled(int ndx, FileEntry e, Path path, LocalStat st, Candidate c) throws IOException {
        if (c.level() == UNCHANGED && basisDirs.type() != AltDest.COPY) {
            if (st != null) {
                if (basisDirs.type() == AltDest.LINK && st.dev() == c.st().dev() && st.ino() == c.st().ino()) {
                    return false; // already the link: the quick check below finds it current
                }
                if (!o.dryRun()) {
                    Files.deleteIfExists(path);
                }
            }
            if (basisDirs.type() == AltDest.LINK && !o.dryRun() && !hardLink(path, c.path())) {
                return copyFromBasisDir(ndx, e, path, c);
            }
            if (basisDirs.type() != AltDest.LINK) {
                itemizer.itemize(ndx, e, 0);
            } else if (reportsMatches()) {
                itemizer.itemize(ndx, e, ItemFlags.LOCAL_CHANGE | ItemFlags.XNAME_FOLLOWS, Itemizer.NO_XNAME); // "hf"
            }
            ctx.reportUptodate(e, false);
            return true;
        }
        if (st != null || c.level() < QUICK_CHECK_OK) {
            return false;
        }
        return copyFromBasisDir(ndx, e, path, c);
    }

    private static boolean hardLink(Path link, Path existing) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (IOException | UnsupportedOperationException ex) {
            return false; // another file system, or one without hard links: rsync copies instead
        }
    }

    /** Copies the candidate into place through a temp file, with the entry's attributes ({@code copy_altdest_file}). */
    // rsync/generator.c:copy_altdest_file
    private boolean copyFromBasisDir(int ndx, FileEntry e, Path path, Candidate c) {
        if (!o.dryRun()) {
            Path tmp = TempNames.tempName(path.getParent(), path.getFileName());
            try {
                try (FileChannel in = FileChannel.open(c.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                             StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
                    long size = in.size();
                    for (long pos = 0; pos < size; ) {
                        long n = in.transferTo(pos, size - pos, out);
                        if (n <= 0) {
                            throw new IOException("it shrank while being copied"); // a log rotated under us
                        }
                        pos += n;
                    }
                }
                itemizer.copyXattrs(c.path(), tmp);
                attrs.setFileAttrs(tmp, e, null, null);
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ex) {
                log.error("rsync: copying \"" + e.displayName() + "\" from " + basisDirs.type().option() + " failed: "
                        + Posix.describe(ex));
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp name is random: at worst a stray dot-file stays
                }
                return false;
            }
        }
        itemizer.itemize(ndx, e, ItemFlags.LOCAL_CHANGE | quickCheck.attrFlags(e, c.st(), c.path()));
        if (c.level() == UNCHANGED) {
            ctx.reportUptodate(e, false);
        }
        return true;
    }

    /**
     * For a missing symlink, device or special file ({@code try_dests_non}): unchanged in a basis directory,
     * {@code --link-dest} hard-links it and {@code --compare-dest} leaves it out (-1: settled); {@code --copy-dest},
     * or a link that failed, creates it as usual but unreported (0). Otherwise {@code iflags}, as they were. A match
     * is itemized only at {@code -ii} or {@code -vv}: "hX" linked, "cX" to be made, ".X" left out.
     */
    // rsync/generator.c:try_dests_non
    int flagsAfter(int ndx, FileEntry e, Path path, int iflags, byte[] name) {
        if (basisDirs.isEmpty()) {
            return iflags;
        }
        Candidate c = best(e, name);
        if (c == null || c.level() != UNCHANGED) {
            return iflags;
        }
        boolean linked = basisDirs.type() == AltDest.LINK && (o.dryRun() || hardLink(path, c.path()));
        if (reportsMatches()) {
            int chg = basisDirs.type() == AltDest.COMPARE ? 0
                    : ItemFlags.LOCAL_CHANGE | (linked ? ItemFlags.XNAME_FOLLOWS : 0);
            itemizer.itemize(ndx, e, chg, linked ? Itemizer.NO_XNAME : null);
        }
        ctx.reportUptodate(e, false);
        return basisDirs.type() == AltDest.COMPARE || linked ? -1 : 0;
    }

    /**
     * For a hard link's later name missing from the destination ({@code rsync/hlink.c:hard_link_check}): the basis
     * directory's copy that stands for it, or null: with {@code --link-dest} the leader's own inode (which is then
     * reported only at {@code -ii}), else a regular file passing the quick check.
     */
    LocalStat forLaterLink(FileEntry e, byte[] name, LocalStat leader) {
        Candidate c = basisDirs.isEmpty() ? null : best(e, name);
        if (c == null) {
            return null;
        }
        if (basisDirs.type() == AltDest.LINK) {
            return leader != null && c.st().dev() == leader.dev() && c.st().ino() == leader.ino() ? c.st() : null;
        }
        return e.isRegular() && c.level() >= QUICK_CHECK_OK ? c.st() : null;
    }

    /** Whether a later link found as its leader in a {@code --link-dest} directory goes unreported. */
    boolean quietLaterLink() {
        return basisDirs.type() == AltDest.LINK && !reportsMatches();
    }

    /** Whether a match in a basis directory is itemized ({@code stdout_format_has_i} with -vv, or -ii). */
    private boolean reportsMatches() {
        return o.itemizeChanges() > 1 || o.itemizeChanges() > 0 && o.verbose() > 1;
    }

    /**
     * The basis directory's copy of this directory when it has the same attributes (the directory is then not
     * reported, and takes that copy's extended attributes), else null.
     */
    Path unchanged(FileEntry e, byte[] name) {
        if (basisDirs.isEmpty()) {
            return null;
        }
        Candidate c = best(e, name);
        return c == null || c.level() != UNCHANGED ? null : e.isRootDot() ? c.path().resolve(".") : c.path();
    }
}
