package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileNameOrder;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes what the destination has and the sender's list does not ({@code rsync/delete.c} and
 * {@code generator.c:delete_in_dir}), and what stands in the way of an entry of another kind: protect rules
 * and {@code --max-delete} honoured, backups made with {@code -b}, each deletion reported.
 */
final class Deleter {
    /**
     * What deletion is told by the user's options.
     *
     * @param maxDelete       {@code --max-delete}; null for no limit
     * @param dryRun          {@code -n}: counted and reported, not deleted
     * @param recursive       whether a directory in a file's way goes with its contents ({@code DEL_RECURSE}:
     *                        a delete mode or {@code --force})
     * @param partialDir      the partial dir in use, which deletion leaves alone; null for none
     */
    record Rules(Integer maxDelete, boolean dryRun, boolean recursive, String partialDir) {
        static Rules of(Options o) {
            return new Rules(o.maxDelete(), o.dryRun(), o.deleteMode() || o.force(), o.partialDir());
        }
    }

    private final Connection conn;
    private final SessionLog log;
    private final Rules rules;
    private final Destination dest;
    private final ScanFilter deleteFilter;
    /** The rules entered per destination directory, the most recent ones kept ({@link #filterIn}). */
    private final Map<String, ScanFilter> entered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ScanFilter> eldest) {
            return size() > 4096;
        }
    };
    private final PathResolver resolver;
    private final DeletionReporter reporter;
    private final Backups backups;
    private final TransferStats stats;
    private final int protocol;
    /** --delete-delay: names found during the transfer, deleted at its end. */
    private final List<String> delayedDeletions = new ArrayList<>();
    private int deletions;
    private int skippedDeletes;
    private int ioError;

    /** @param reporter how deletions are told; null: printed as a client does */
    Deleter(RecvContext ctx, ScanFilter deleteFilter, DeletionReporter reporter) {
        this.conn = ctx.conn();
        this.log = conn.log();
        this.rules = ctx.o().deletion();
        this.dest = ctx.dest();
        this.deleteFilter = deleteFilter;
        this.resolver = ctx.paths().resolver();
        this.reporter = reporter != null ? reporter : this::printDeletion;
        this.backups = ctx.backups();
        this.stats = ctx.stats();
        this.protocol = ctx.protocol();
    }

    /** A client's report of a deletion: to its log, which prints the "deleting NAME" line with -v or -i. */
    private void printDeletion(String rel, boolean isDir) {
        log.deleted(Escaped.of(rel) + (isDir ? "/" : ""));
    }

    /** The io_error bits of deletions that failed. */
    int ioError() {
        return ioError;
    }

    /** Deletions {@code --max-delete} held back. */
    int skipped() {
        return skippedDeletes;
    }

    /** --delete-delay's deletions, at the end of the transfer. */
    void deleteDelayed() {
        for (String rel : delayedDeletions) {
            deleteByName(rel);
        }
    }

    // rsync/generator.c:delete_in_dir. Names relative to the destination are PathBytes.text: a String per name,
    // byte for byte.
    void deleteInDir(Path dir, String relDir, FileList names, boolean delay) {
        if ((conn.peerIoError() & ~Connection.IOERR_VANISHED) != 0) {
            log.error("IO error encountered -- skipping file deletion");
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                children.add(c);
            }
        } catch (IOException ex) {
            log.error("rsync: opendir \"" + Escaped.of(dir) + "\" failed: " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
            return;
        }
        String partialDir = rules.partialDir();
        List<Extraneous> extraneous = new ArrayList<>();
        for (Path c : children) {
            byte[] name = PathBytes.of(c.getFileName());
            String rel = relDir.isEmpty() ? PathBytes.text(name) : relDir + "/" + PathBytes.text(name);
            if (names.find(PathBytes.bytes(rel)) != null) {
                continue;
            }
            if (partialDir != null && !partialDir.contains("/") && PathBytes.text(name).equals(partialDir)) {
                continue;
            }
            LocalStat st = DestPaths.lstat(c);
            if (st == null || filterIn(dir, relDir).excluded(PathBytes.bytes(rel), st.isDirectory())) {
                continue;
            }
            extraneous.add(new Extraneous(name, st.isDirectory(), rel));
        }
        for (Extraneous x : lastFirst(extraneous)) {
            if (delay) {
                delayedDeletions.add(x.rel());
            } else {
                deleteByName(x.rel());
            }
        }
    }

    /**
     * The deletion rules inside destination directory {@code relDir}: the view entered level by level from the
     * root, so that per-directory merge files ({@code -F}, {@code dir-merge}) found in the destination protect
     * and exclude there, as rsync's receiver reads them (rsync/exclude.c:push_local_filters).
     */
    private ScanFilter filterIn(Path dir, String relDir) {
        ScanFilter view = entered.get(relDir);
        if (view == null) {
            int slash = relDir.lastIndexOf('/');
            ScanFilter outer = relDir.isEmpty() ? deleteFilter
                    : filterIn(dir.getParent(), slash < 0 ? "" : relDir.substring(0, slash));
            view = outer.enter(dir, PathBytes.bytes(relDir));
            entered.put(relDir, view);
        }
        return view;
    }

    /** A name in a destination directory: its last component, its kind, its path below the destination. */
    private record Extraneous(byte[] name, boolean directory, String rel) {}

    /**
     * Names of one directory in the order rsync deletes them: its sorted directory listing, last to first
     * ({@code delete_in_dir} and {@code delete_dir_contents} walk {@code get_dirlist}'s list backwards).
     */
    private List<Extraneous> lastFirst(List<Extraneous> names) {
        List<Extraneous> sorted = new ArrayList<>(names);
        sorted.sort((a, b) -> FileNameOrder.compareSiblings(protocol, b.name(), b.directory(), a.name(),
                a.directory()));
        return sorted;
    }

    /**
     * Deletes what the destination has under a source the sender listed as missing ({@code --delete-missing-args}):
     * a directory with its contents only with {@code --delete} or {@code --force}, else only when it is empty.
     */
    void deleteMissing(String rel) {
        if (!rules.recursive()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(resolveRel(rel))) {
                if (ds.iterator().hasNext()) {
                    return; // rsync's delete_item without DEL_RECURSE: a directory not empty stays, silently
                }
            } catch (IOException notADirectory) {
                // not a directory (or not to be reached): deleted, or refused, below
            }
        }
        deleteByName(rel);
    }

    /**
     * Deletes {@code rel} through the path resolver rather than below the listed directory's path, so a
     * directory swapped for a symlink since it was listed is refused, not followed.
     */
    private void deleteByName(String rel) {
        try {
            deleteItem(resolveRel(rel), rel, true);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: delete_file: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    private Path resolveRel(String rel) throws SafeNames.UnsafePathException {
        return resolver.resolve(dest.root(), PathBytes.bytes(rel));
    }

    /** Deletes one extraneous item (recursively for a directory), honouring the protect rules. */
    // rsync/delete.c:delete_item
    private boolean deleteItem(Path p, String rel, boolean report) {
        LocalStat st = DestPaths.lstat(p);
        if (st == null) {
            return true;
        }
        if (rules.maxDelete() != null && deletions >= rules.maxDelete()) {
            skippedDeletes++;
            return false;
        }
        if (rules.dryRun()) {
            countDeleted(st);
            deletions++;
            if (report) {
                reporter.deleted(rel, st.isDirectory());
            }
            return true;
        }
        try {
            if (st.isDirectory()) {
                boolean all = true;
                List<Extraneous> kids = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path listed : ds) {
                        byte[] name = PathBytes.of(listed.getFileName());
                        LocalStat ks = DestPaths.lstat(listed);
                        kids.add(new Extraneous(name, ks != null && ks.isDirectory(), rel + "/" + PathBytes.text(name)));
                    }
                }
                // rsync/delete.c:delete_dir_contents
                ScanFilter inside = filterIn(p, rel);
                for (Extraneous kid : lastFirst(kids)) {
                    Path k = resolveRel(kid.rel());
                    LocalStat ks = DestPaths.lstat(k);
                    if (ks != null && inside.excluded(PathBytes.bytes(kid.rel()), ks.isDirectory())) {
                        all = false;
                        continue;
                    }
                    all &= deleteItem(k, kid.rel(), report);
                }
                if (!all) {
                    return false;
                }
                Files.delete(p);
                countDeleted(st);
            } else {
                if (!backUp(p, rel, st)) {
                    Files.delete(p);
                }
                countDeleted(st);
            }
            deletions++;
            if (report) {
                reporter.deleted(rel, st.isDirectory());
            }
            return true;
        } catch (DirectoryNotEmptyException ex) {
            return false;
        } catch (IOException ex) {
            log.error("rsync: delete_file: " + Escaped.of(rel) + ": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
            return false;
        }
    }

    private void countDeleted(LocalStat st) {
        if (st.isDirectory()) {
            stats.deletedDirs++;
        } else if (st.isSymlink()) {
            stats.deletedSymlinks++;
        } else if (st.isDevice()) {
            stats.deletedDevices++;
        } else if (st.isSpecial()) {
            stats.deletedSpecials++;
        } else {
            stats.deletedFiles++;
        }
    }

    /** Makes something at a temporary name. */
    @FunctionalInterface
    interface TempMaker {
        void makeAt(Path tmp) throws IOException;
    }

    /**
     * Puts {@code e} in place as rsync's {@code atomic_create} does: {@code make} creates it under a temporary name
     * beside {@code path}, which is then renamed over what was there ({@code st}), a directory in the way cleared
     * first. False, the temporary name gone, when that directory could not be.
     */
    boolean placeFromTemp(Path path, LocalStat st, FileEntry e, TempMaker make) throws IOException {
        Path tmp = TempNames.tempName(path.getParent(), path.getFileName());
        make.makeAt(tmp);
        if (st != null && st.isDirectory() && !removeForReplacement(path, st, e)) {
            Files.deleteIfExists(tmp);
            return false;
        }
        if (st != null && !st.isDirectory()) {
            backUp(path, relOf(path, e), st);
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /**
     * Clears an item of another type out of the way of {@code e}: a directory only recursively with a
     * deletion mode or {@code --force}, as rsync's {@code DEL_RECURSE} rule has it.
     */
    boolean removeForReplacement(Path path, LocalStat st, FileEntry e) throws IOException {
        String rel = relOf(path, e);
        if (st.isDirectory()) {
            if (!rules.recursive()) {
                try {
                    Files.delete(path);
                    return true;
                } catch (DirectoryNotEmptyException ex) {
                    log.error("rsync: cannot delete non-empty directory: " + Escaped.of(rel));
                    ioError |= Connection.IOERR_GENERAL;
                    return false;
                }
            }
            return deleteItem(path, rel, false);
        }
        if (!backUp(path, rel, st)) {
            Files.delete(path);
        }
        return true;
    }

    /**
     * With {@code -b}, puts the non-directory {@code st} at {@code path} (named {@code rel}), which a deletion or an
     * item of another type replaces, at its backup name ({@code rsync/delete.c:delete_item} and
     * {@code rsync/generator.c:atomic_create} both call {@code make_backup}); whether it did.
     */
    private boolean backUp(Path path, String rel, LocalStat st) throws IOException {
        if (!backups.enabled() || backups.isBackup(rel)) {
            return false;
        }
        backups.keepOrRemove(path, rel, st);
        return true;
    }

    private String relOf(Path path, FileEntry e) {
        return PathBytes.text(dest.soloFile() ? PathBytes.of(path.getFileName()) : e.name());
    }
}
