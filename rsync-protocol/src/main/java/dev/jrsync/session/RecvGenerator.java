package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.FakeSuper;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.SymlinkSafety;
import dev.jrsync.options.DeleteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One entry of the received list in the generator ({@code rsync/generator.c:recv_generator}): the rules that
 * leave it alone, then by its kind a directory made or fixed up, a symlink, device or special file made under a
 * temporary name and renamed into place, or a regular file handed to {@link RegularFileGenerator}. Whatever is
 * settled here is itemized; nothing but regular files reaches the sender.
 */
final class RecvGenerator {
    private final RecvContext ctx;
    private final RecvOptions o;
    private final FileList flist;
    private final Destination dest;
    private final DestPaths paths;
    private final AttrSetter attrs;
    private final QuickCheck quickCheck;
    private final Deleter deleter;
    private final AltDestBasis altDest;
    private final Itemizer itemizer;
    private final DirTouchUp dirs;
    private final RegularFileGenerator files;
    private final HardLinks links;
    private final SessionLog log;
    /** rsync's {@code am_root != 0}: devices are made only then. */
    private final boolean amRoot;
    /** rsync's {@code am_root < 0}: symlinks and devices become plain files that record what they are. */
    private final boolean fakeSuper;
    /** {@code --delete-delay}: deletions found during the transfer are made after it. */
    private final boolean delayDeletes;
    private int ioError;
    /**
     * Directories {@code --existing} did not create: what is below them is left out without a word (rsync's
     * {@code skip_dir} and FLAG_MISSING_DIR), since the generator does not descend into a directory it lacks.
     */
    private final Set<String> skippedDirs = new HashSet<>();

    RecvGenerator(GenContext g, DirTouchUp dirs, RegularFileGenerator files) {
        this.ctx = g.recv();
        this.o = ctx.o();
        this.flist = ctx.flist();
        this.dest = ctx.dest();
        this.paths = ctx.paths();
        this.attrs = ctx.attrs();
        this.quickCheck = g.quickCheck();
        this.delayDeletes = g.settings().deleteWhen() == DeleteMode.DELAY;
        this.deleter = g.deleter();
        this.altDest = g.altDest();
        this.itemizer = g.itemizer();
        this.dirs = dirs;
        this.files = files;
        this.links = new HardLinks(g);
        this.log = ctx.conn().log();
        this.amRoot = attrs.preserve().amRoot();
        this.fakeSuper = o.fakeSuper();
    }

    int ioError() {
        return ioError | links.ioError();
    }

    /** The receiver put the data of a file with other names in place ({@code -H}). */
    void arrived(FileEntry e) {
        links.arrived(e);
    }

    private boolean belowSkipped(byte[] name) {
        String n = PathBytes.text(name);
        for (int slash = n.lastIndexOf('/'); slash > 0; slash = n.lastIndexOf('/', slash - 1)) {
            if (skippedDirs.contains(n.substring(0, slash))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One entry of the list brought into shape, or asked for. {@code deleteDuring}: a directory's extraneous
     * names go as it is reached; {@code redo}: a file asked again after its whole-file check failed.
     */
    // rsync/generator.c:recv_generator
    void generate(int ndx, FileEntry e, boolean deleteDuring, boolean redo) {
        if (o.listOnly()) {
            log.listed(new ListedEntry(e.name(), e.mode(), e.size(), e.mtime(), e.linkTarget()), o.humanReadable());
            return;
        }
        Path path;
        try {
            path = paths.pathOf(e);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
            return;
        }
        if (!skippedDirs.isEmpty() && belowSkipped(e.name())) {
            return;
        }
        if (o.passesBy(e)) {
            return;
        }
        LocalStat st = paths.destStat(path);
        if (e.isMissing()) {
            // rsync/generator.c:recv_generator: --delete-missing-args' entry deletes what is here under its name
            if (st != null) {
                deleter.deleteMissing(PathBytes.text(e.name()));
            }
            return;
        }
        if (!redo) {
            if (o.existing() && st == null) {
                if (e.isDirectory()) {
                    skippedDirs.add(PathBytes.text(e.name()));
                }
                if (o.verbose() > 1) {
                    log.info("not creating new " + (e.isDirectory() ? "directory" : "file") + " \"" + e.displayName() + "\"");
                }
                return;
            }
            if (o.ignoreExisting() && st != null && !(e.isDirectory() && st.isDirectory())) {
                return;
            }
        }
        try {
            if (o.makesParents() && st == null && !o.dryRun() && !e.isRootDot()) {
                // rsync/generator.c:recv_generator: without implied directories, a missing parent is made
                Files.createDirectories(path.getParent());
            }
            boolean linked = !redo && e.hardLinkGroup() >= 0;
            if (linked && links.linkedOrWaiting(ndx, e, path, st)) {
                return;
            }
            RegularFileGenerator.Outcome outcome = null;
            if (e.isDirectory()) {
                generateDir(ndx, e, path, st, deleteDuring);
            } else if (e.isSymlink()) {
                generateSymlink(ndx, e, path, st);
            } else if (e.isDevice() || e.isSpecial()) {
                generateSpecial(ndx, e, path, st);
            } else if (e.isRegular()) {
                outcome = files.generate(ndx, e, path, st, redo);
            }
            if (linked) {
                if (outcome == null) {
                    outcome = o.dryRun() || DestPaths.lstat(path) != null
                            ? RegularFileGenerator.Outcome.IN_PLACE : RegularFileGenerator.Outcome.LEFT_OUT;
                }
                links.led(e, path, outcome);
            }
        } catch (IOException ex) {
            log.error("rsync: recv_generator: " + e.displayName() + ": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    /**
     * The set-group-id bit a directory just made has from its parent, which it keeps without -p ({@code
     * rsync/rsync.c:set_file_attrs}' inherit rule); 0 otherwise.
     */
    private int inheritedSetgid(Path made) {
        if (attrs.preserve().perms()) {
            return 0;
        }
        LocalStat st = DestPaths.lstat(made);
        return st == null ? 0 : st.mode() & AttrSetter.S_ISGID;
    }

    private void generateDir(int ndx, FileEntry e, Path path, LocalStat st, boolean deleteDuring) throws IOException {
        Path linked = keptDirlink(e, st);
        if (linked != null) {
            path = linked;
            st = DestPaths.lstat(path);
        }
        int iflags = 0;
        if (st != null && !st.isDirectory()) {
            if (!o.dryRun() && !deleter.removeForReplacement(path, st, e)) {
                return;
            }
            st = null;
        }
        // made by rsync/main.c:get_local_name, or early in its parent's list (FLAG_DIR_CREATED): reported as new
        boolean madeAlready = st != null && (e.isRootDot() && dest.createdRoot() || dirs.madeBefore(e));
        boolean isNew = st == null || madeAlready;
        if (isNew) {
            // A directory the basis directories hold unchanged is still created, reported only at -ii (a local change)
            Path basisCopy = altDest.unchanged(e, paths.nameInDestDir(e));
            boolean unchanged = basisCopy != null;
            iflags = unchanged ? ItemFlags.LOCAL_CHANGE : ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE;
            if (unchanged) {
                ctx.reportUptodate(e, false);
            }
            if (!o.dryRun()) {
                if (!madeAlready) {
                    Files.createDirectory(path);
                }
                if (unchanged) {
                    itemizer.copyXattrs(basisCopy, path);
                }
                // open to its owner while its files arrive; without -p, set-id bits only as inherited (dest_mode)
                int listed = attrs.preserve().perms() ? e.mode() & 07777 : e.mode() & 0777;
                AttrSetter.setMode(path, listed | 0700 | inheritedSetgid(path));
                dirs.made(ndx, e);
            }
        } else {
            iflags = quickCheck.attrFlags(e, st, path);
            if (!o.dryRun() && (st.mode() & 0700) != 0700) {
                AttrSetter.setMode(path, (st.mode() & 07777) | 0700);
            }
        }
        if (fakeSuper && !o.dryRun()) {
            // rsync/generator.c:recv_generator's set_file_attrs on the directory: its mode and owner are stored
            // now, while the directory itself stays open to its owner for the files to come
            attrs.storeStat(path, e, attrs.targetMode(e, isNew ? null : st, isNew, path));
        }
        itemizer.itemize(ndx, e, iflags);
        if (deleteDuring && ctx.isContentDir(e) && (st != null || !o.dryRun())) {
            deleter.deleteInDir(path, e.isRootDot() ? "" : PathBytes.text(e.name()), flist,
                    delayDeletes);
        }
    }

    private void generateSymlink(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        if (!o.links() || e.linkTarget() == null) {
            return;
        }
        byte[] target = e.linkTarget();
        if (o.safeLinks() && SymlinkSafety.unsafe(target, e.name())) {
            if (o.verbose() > 0) {
                log.info("ignoring unsafe symlink \"" + e.displayName() + "\" -> \"" + Escaped.of(target) + "\"");
            }
            return;
        }
        int iflags;
        if (st != null && st.isSymlink()) {
            if (Arrays.equals(paths.readlink(path), target)) {
                iflags = quickCheck.attrFlags(e, st, path);
                if (!o.dryRun()) {
                    attrs.setAttrs(path, e, st, false);
                }
                itemizer.itemize(ndx, e, iflags);
                ctx.reportInPlace(e, iflags);
                ctx.duplicated(ndx);
                return;
            }
            iflags = replacedFlags(e, st);
        } else {
            // nothing there, or something else that goes first (recv_generator's delete_item): a new link
            iflags = ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE;
        }
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, paths.nameInDestDir(e))) < 0) {
            return;
        }
        if (!o.dryRun()) {
            boolean placed = deleter.placeFromTemp(path, st, e, tmp -> {
                if (fakeSuper) {
                    FakeSuper.symlink(target, tmp);
                } else {
                    Posix.symlink(target, tmp);
                }
            });
            if (!placed) {
                return;
            }
            attrs.setAttrs(path, e, null, true);
        }
        if (iflags != 0) { // 0: made after a basis directory's match, which was reported as such
            itemizer.itemize(ndx, e, iflags);
        }
        ctx.duplicated(ndx);
    }

    /**
     * rsync/generator.c:itemize for an entry that replaces another one: a change, local, with the attributes that
     * differ, and without -t its time reported too.
     */
    private int replacedFlags(FileEntry e, LocalStat st) {
        return ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE | quickCheck.attrFlags(e, st)
                | (attrs.preserve().timesOf(e) ? 0 : ItemFlags.REPORT_TIME);
    }

    private void generateSpecial(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        if (o.dropDevices() || e.isDevice() && (!o.devices() || !amRoot)) {
            // rsync/generator.c:recv_generator: a device not created falls to the non-regular-file notice
            log.info("skipping non-regular file \"" + e.displayName() + "\"");
            return;
        }
        if (e.isSpecial() && !o.specials()) {
            return;
        }
        long rdev = Posix.makedev(e.rdevMajor(), e.rdevMinor());
        if (st != null && (st.mode() & LocalStat.S_IFMT) == (e.mode() & LocalStat.S_IFMT)
                && (!e.isDevice() || st.rdev() == rdev)) {
            int iflags = quickCheck.attrFlags(e, st, path);
            if (!o.dryRun()) {
                attrs.setAttrs(path, e, st, false);
            }
            itemizer.itemize(ndx, e, iflags);
            ctx.reportInPlace(e, iflags);
            ctx.duplicated(ndx);
            return;
        }
        int iflags = st == null ? ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE : replacedFlags(e, st);
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, paths.nameInDestDir(e))) < 0) {
            return;
        }
        if (!o.dryRun()) {
            if (st != null && !deleter.removeForReplacement(path, st, e)) {
                return;
            }
            Path tmp = TempNames.tempName(path.getParent(), path.getFileName());
            if (fakeSuper) {
                FakeSuper.placeholder(tmp);
            } else {
                Posix.mknod(tmp, (e.mode() & LocalStat.S_IFMT) | (e.mode() & 07777), e.isDevice() ? rdev : 0);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            attrs.setAttrs(path, e, null, true);
        }
        if (iflags != 0) { // 0: made after a basis directory's match, which was reported as such
            itemizer.itemize(ndx, e, iflags);
        }
        ctx.duplicated(ndx);
    }

    /**
     * What the symlink {@code st} at {@code path} leads to when {@code -K} keeps it as the directory the sender
     * has ({@code rsync/generator.c:recv_generator}'s stat with {@code keep_dirlinks}); null otherwise.
     */
    private Path keptDirlink(FileEntry e, LocalStat st) throws IOException {
        if (st == null || !st.isSymlink() || !o.keepDirlinks()) {
            return null;
        }
        // through the resolver, as a parent of the entry's files is: a daemon follows only its module's own links
        byte[] name = e.name();
        byte[] child = Arrays.copyOf(name, name.length + 2);
        child[name.length] = '/';
        child[name.length + 1] = 'x';
        try {
            Path dir = paths.resolver().resolve(dest.root(), child).getParent();
            LocalStat referent = Posix.statOrNull(dir);
            return referent != null && referent.isDirectory() ? dir.toRealPath() : null;
        } catch (SafeNames.UnsafePathException ex) {
            return null;
        }
    }

    /**
     * A directory met in its parent's list: made now (private to us) when directory times are kept, so that
     * the parent's mtime is final when its list ends; its attributes and contents come with its own list.
     */
    // rsync/generator.c:recv_generator with is_dir < 0
    void createEarly(FileEntry e) {
        if (!attrs.preserve().timesOf(e) || o.dryRun() || o.listOnly() || e.isRootDot()) {
            return;
        }
        try {
            Path path = paths.pathOf(e);
            LocalStat st = paths.destStat(path);
            if (st == null && o.existing()) {
                return; // its own list will say "not creating new directory"
            }
            if (st != null && (st.isDirectory() || keptDirlink(e, st) != null
                    || !deleter.removeForReplacement(path, st, e))) {
                return;
            }
            Files.createDirectory(path);
            AttrSetter.setMode(path, 0700);
            dirs.madeEarly(e);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
        } catch (IOException ex) {
            // reported when the directory's own list comes (rsync: "Any errors get reported later")
        }
    }

}
