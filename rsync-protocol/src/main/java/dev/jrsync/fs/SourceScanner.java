package dev.jrsync.fs;

import dev.jrsync.checksum.FileDigest;
import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileNameOrder;
import dev.jrsync.flist.FileMode;
import dev.jrsync.flist.RsyncAcl;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.flist.XmitFlags;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the sender's file list from local source arguments ({@code rsync/flist.c:send_file_list},
 * {@code send_directory}, {@code make_file}).
 *
 * <p>A source ending in '/' sends its contents (the root entry is ".", as in {@code src/.}); without
 * the slash the directory itself is sent under its own name. Entries come out in scan order; the
 * file list sorts them.
 *
 * <p>For incremental recursion ({@link #divertDirs}) the arguments give only the top list: a "dir/"
 * argument one level deep, a "dir" argument the directory alone. Each directory's contents are listed
 * later by {@link #listContents}, one directory at a time, so the scanner never holds more than the
 * directories still waiting for their lists.
 */
public final class SourceScanner {
    private static final byte[] DOT = {'.'};
    private static final byte[] DOTDOT = {'.', '.'};

    private final ScanOptions options;
    private final SessionLog log;
    private final List<FileEntry> entries = new ArrayList<>();
    /** {@code -H}: the group number of each inode listed with more links than one. */
    private final Map<Inode, Integer> hardLinkGroups = new HashMap<>();
    /** {@code -X}: each distinct set of extended attributes listed, to be shared by the entries that have it. */
    private final Map<XattrSet, XattrSet> xattrSets = new HashMap<>();
    /** {@code -A}: each distinct ACL listed, to be shared by the entries that have it. */
    private final Map<RsyncAcl, RsyncAcl> aclsSeen = new HashMap<>();

    private record Inode(long dev, long ino) {}
    /**
     * Each directory whose names were listed, by the path its entries carry as their directory: the file it was.
     * A file is opened for sending only in that same directory, so a directory swapped for a symlink since the
     * scan (a race the tree's owner can run against a more privileged rsync) leads nowhere.
     */
    private final Map<Path, Inode> listedDirs = new ConcurrentHashMap<>();
    /**
     * Whether /proc names open descriptors: not in a chrooted daemon session's root, where a file is opened by its
     * path (the chroot confines it there). Read where the scanner is made, in the session's own root.
     */
    private final boolean procFd = Files.isDirectory(Path.of("/proc/self/fd"));
    /** Directories whose contents are still to be listed, with what to list them under (divertDirs only). */
    private final Map<FileEntry, Subtree> pending = new IdentityHashMap<>();
    private boolean divertDirs;
    private int ioError;

    /**
     * A directory whose contents are listed later: the rules of the directory it sits in and the device of
     * its transfer root (for {@code -x}).
     */
    private record Subtree(ScanFilter outerFilter, long rootDev) {}

    public SourceScanner(ScanOptions options, SessionLog log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Lists each directory's contents separately ({@code rsync/flist.c:send_file_list}'s FLAG_DIVERT_DIRS
     * under incremental recursion); call before adding sources. Not for {@code --files-from}.
     */
    public void divertDirs() {
        this.divertDirs = true;
    }

    /**
     * The contents of a directory found so far, once ({@code rsync/flist.c:send1extra}): sorted among
     * themselves, their directories in turn waiting for their own lists. Empty for a directory sent without
     * contents, a "." whose contents came with the top list, or one already listed.
     */
    public List<FileEntry> listContents(FileEntry dir) {
        Subtree s = pending.remove(dir);
        if (s == null) {
            return List.of();
        }
        Path path = pathOf(dir);
        List<FileEntry> children = readDirectory(path, dir.name(), s.rootDev(), s.outerFilter().enter(path, dir.name()));
        return children;
    }

    /** Entries in the order they were found. */
    public List<FileEntry> entries() {
        return entries;
    }

    /** The local file behind an entry: its directory and the last component of its name. */
    public Path pathOf(FileEntry e) {
        return pathOf(e.name(), e.localDir());
    }

    /** The local path of list name {@code name} whose directory is {@code localDir}. */
    private static Path pathOf(byte[] name, Path localDir) {
        if (name.length == 1 && name[0] == '.') {
            return localDir;
        }
        int slash = name.length - 1;
        while (slash >= 0 && name[slash] != '/') {
            slash--;
        }
        return localDir.resolve(PathBytes.path(name, slash + 1, name.length - slash - 1));
    }

    /**
     * Opens a listed file to send it: never through a symlink, unless the list was made following links (-L,
     * --copy-unsafe-links), when the entry is the link's referent. A file found in a directory's listing is opened
     * beneath that very directory, checked by its inode ({@code rsync/sender.c}'s confined open): a directory on its
     * path swapped for a symlink since the scan fails the file instead of sending what the symlink leads to.
     */
    public SeekableByteChannel open(FileEntry e) throws IOException {
        Path path = pathOf(e);
        ScanOptions.Follow f = options.follow();
        Inode dir = f.any() ? null : listedDirs.get(e.localDir());
        if (dir != null && procFd) {
            return openIn(e.localDir(), dir, path.getFileName());
        }
        if (f.any() && f.within() != null) {
            return openWithin(path, f.within(), e.name());
        }
        return read(path, f.any() && f.within() == null);
    }

    /** {@code path} opened to read, through a symlink only if {@code follow}; with --open-noatime, as an {@link InFile}. */
    private SeekableByteChannel read(Path path, boolean follow) throws IOException {
        if (options.openNoatime()) {
            return InFile.open(path, follow);
        }
        return follow ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A file reached by following links, opened only when what was opened lies beneath {@code within}: checked
     * again now, on the open file itself, since a link may have been pointed elsewhere after the scan.
     */
    private SeekableByteChannel openWithin(Path path, Path within, byte[] name) throws IOException {
        if (!procFd) {
            Path real = path.toRealPath();
            if (!real.startsWith(within)) {
                throw new IOException(Escaped.of(name) + " now leads out of the module");
            }
            return read(real, false);
        }
        int fd;
        try {
            fd = BeneathOpener.openat(Posix.AT_FDCWD, PathBytes.of(path), Posix.O_PATH | Posix.O_CLOEXEC);
        } catch (BeneathOpener.OpenFailure ex) {
            throw ex.on(Posix.named(path).toString());
        }
        try {
            if (!realPath(Posix.fdPath(fd)).startsWith(within)) {
                throw new IOException(Escaped.of(name) + " now leads out of the module");
            }
            return read(Posix.fdPath(fd), true);
        } finally {
            Posix.close(fd);
        }
    }

    private SeekableByteChannel openIn(Path localDir, Inode listed, Path leaf) throws IOException {
        int fd;
        try {
            fd = BeneathOpener.openat(Posix.AT_FDCWD, PathBytes.of(localDir), Posix.O_PATH | Posix.O_DIRECTORY
                    | Posix.O_CLOEXEC);
        } catch (BeneathOpener.OpenFailure ex) {
            throw ex.on(localDir.toString());
        }
        try {
            LocalStat now = Posix.fstat(fd);
            if (now.dev() != listed.dev() || now.ino() != listed.ino()) {
                throw new IOException("its directory " + Escaped.of(localDir) + " was replaced since it was listed");
            }
            return read(Posix.below(fd, PathBytes.of(leaf)), false);
        } finally {
            Posix.close(fd);
        }
    }

    /** IOERR_* bits for sources that could not be read. */
    public int ioError() {
        return ioError;
    }

    /** Adds one command-line source argument. */
    public void addSource(String arg, ScanFilter filter) {
        boolean contentsOnly = arg.endsWith("/") || arg.equals(".") || arg.endsWith("/.");
        String trimmed = arg;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        Path path = PathBytes.path(trimmed.isEmpty() ? "/" : trimmed);
        byte[] name = DOT;
        if (!contentsOnly) {
            Path fileName = path.getFileName();
            name = fileName == null ? DOT : PathBytes.of(fileName);
            if (Arrays.equals(name, DOTDOT)) {
                name = DOT;
                contentsOnly = true;
            }
        }
        LocalStat st;
        try {
            // A "dir/" argument follows a symlink to the directory, as rsync's link_stat does for dot-dirs (the
            // kernel's walk of "dir/.", not a realpath: that would climb through the ancestors of a pinned root).
            st = stat(contentsOnly ? path.resolve(".") : path);
        } catch (NoSuchFileException e) {
            ioError |= 1;
            log.error("rsync: [sender] link_stat \"" + shown(path) + "\" failed: No such file or directory (2)");
            return;
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] link_stat \"" + shown(path) + "\" failed: " + Posix.describe(e));
            return;
        }
        if (!contentsOnly && filter.excluded(name, st.isDirectory())) {
            return;
        }
        if (st.isDirectory() && !options.recursive() && !options.dirs()) {
            log.info("skipping directory " + Escaped.of(name));
            return;
        }
        if (st.isDirectory()) {
            // rsync/flist.c:send_file_list: -r, or -d with a "dir/" argument, sends the directory's contents
            // (-d only one level deep, its subdirectories marked as sent without contents).
            boolean withContents = options.recursive() || contentsOnly;
            int flags = withContents ? XmitFlags.TOP_DIR : XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR;
            FileEntry root = add(name, path, st, flags);
            if (root != null && withContents) {
                byte[] rel = Arrays.equals(name, DOT) ? new byte[0] : name;
                if (!divertDirs) {
                    scanDirectory(path, rel, st.dev(), filter.enter(path, rel));
                } else if (rel.length == 0) {
                    entries.addAll(readDirectory(path, rel, st.dev(), filter.enter(path, rel)));
                } else {
                    pending.put(root, new Subtree(filter, st.dev()));
                }
            }
        } else {
            add(name, path, st, 0);
        }
    }

    /**
     * Adds the source arguments: each one as {@link #addSource}, or, with {@code listed} (rsync's
     * {@code --files-from}), the listed paths below the single source directory.
     */
    public void addSources(List<String> sources, List<String> listed, ScanFilter filter) {
        if (listed == null) {
            Set<String> implied = new HashSet<>();
            for (String src : sources) {
                if (options.relative()) {
                    addRelative(src, filter, implied);
                } else {
                    addSource(src, filter);
                }
            }
            return;
        }
        if (sources.size() != 1) {
            throw new IllegalArgumentException("--files-from needs exactly one source directory");
        }
        if (divertDirs) {
            throw new IllegalStateException("--files-from lists are not sent incrementally");
        }
        addListed(PathBytes.path(sources.getFirst()), listed, filter);
    }

    /**
     * Adds paths relative to {@code root} as rsync's {@code --files-from} does (which implies {@code -R}):
     * each keeps its relative name, the root "." and every parent directory come along, and a listed
     * directory is recursed with {@code -r}. The parents are sent as plain directories without contents, so
     * their attributes (mtimes moved by the very changes being sent) are applied like any directory's. A path
     * that no longer exists is skipped silently ({@code --ignore-missing-args}): a caller listing recent
     * changes learns of the removal separately.
     */
    public void addListed(Path root, List<String> relPaths, ScanFilter filter) {
        Set<String> added = new HashSet<>();
        addParent(".", root, XmitFlags.TOP_DIR, added);
        for (String rel : relPaths) {
            for (int slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
                String parent = rel.substring(0, slash);
                addParent(parent, PathBytes.resolve(root, PathBytes.bytes(parent)), XmitFlags.NO_CONTENT_DIR, added);
            }
            if (!added.add(rel)) {
                continue;
            }
            byte[] name = PathBytes.bytes(rel);
            Path path = PathBytes.resolve(root, name);
            LocalStat st;
            try {
                st = stat(path);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                ioError |= 1;
                log.error("rsync: [sender] link_stat \"" + Escaped.of(path) + "\" failed: " + Posix.describe(e));
                continue;
            }
            if (filter.excluded(name, st.isDirectory())) {
                continue;
            }
            boolean recurse = st.isDirectory() && options.recursive();
            FileEntry e = add(name, path, st, st.isDirectory() && !recurse ? XmitFlags.NO_CONTENT_DIR : 0);
            if (e != null && recurse) {
                scanDirectory(path, name, st.dev(), filter.enter(path, name));
            }
        }
    }

    /**
     * Adds one source with {@code -R} ({@code rsync/flist.c:send_file_list} with {@code relative_paths}): it is
     * listed by its path, from after a "/./" in it or else all of it without a leading '/', and, unless
     * {@code --no-implied-dirs}, each directory on that path is listed first, once, as a directory without its
     * contents (a symlink to one as the directory, as rsync's send_implied_dirs follows it).
     */
    public void addRelative(String arg, ScanFilter filter, Set<String> impliedSoFar) {
        int cut = arg.indexOf("/./");
        Path base = cut >= 0 ? PathBytes.path(arg.substring(0, cut)) : PathBytes.path(arg.startsWith("/") ? "/" : ".");
        addRelative(base, cut >= 0 ? arg.substring(cut + 3) : arg, filter, impliedSoFar, 0);
    }

    /**
     * Adds the names of a {@code --files-from} list as rsync's sender reads them ({@code rsync/flist.c:send_file_list}
     * reading {@code filesfrom_fd}): each one cleaned of ".." and leading slashes ({@code sanitize_path}), then taken
     * as an {@code -R} source below {@code root}, a "/./" in it moving the start of the listed path past it. A name
     * that is not there is an error, left out, or listed for deletion as {@code missingArgs} says.
     */
    public void addFilesFrom(Path root, List<String> names, ScanFilter filter, int missingArgs) {
        if (divertDirs) {
            throw new IllegalStateException("--files-from lists are not sent incrementally");
        }
        Set<String> implied = new HashSet<>();
        for (String listed : names) {
            String name = sanitized(listed);
            int cut = name.indexOf("/./");
            Path base = cut >= 0 ? PathBytes.resolve(root, PathBytes.bytes(name.substring(0, cut))) : root;
            addRelative(base, cut >= 0 ? name.substring(cut + 3) : name, filter, implied, missingArgs);
        }
    }

    /**
     * {@code rsync/util1.c:sanitize_path} as the sender applies it to a listed name (keeping "." components, which
     * "/./" needs): no leading or doubled slashes, and each ".." takes away the component before it or, at the
     * start, itself; a trailing slash stays.
     */
    public static String sanitized(String name) {
        List<String> parts = new ArrayList<>();
        String[] split = name.split("/", -1);
        for (String p : split) {
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        String joined = String.join("/", parts);
        if (joined.isEmpty()) {
            return ".";
        }
        return name.endsWith("/") ? joined + "/" : joined;
    }

    private void addRelative(Path base, String rel, ScanFilter filter, Set<String> impliedSoFar, int missingArgs) {
        if (rel.startsWith("./") && rel.length() > 2 && impliedSoFar.add(".")) {
            // rsync's implied_dot_dir: a leading "./" sends the directory it starts from, once, for its attributes
            addImplied(".", base);
        }
        boolean contentsOnly = rel.endsWith("/") || rel.isEmpty() || rel.equals(".") || rel.endsWith("/.");
        rel = rel.replaceAll("^/+", "").replaceAll("(/\\.?)+$", "").replaceAll("^(\\./)+", "")
                .replaceAll("/(\\./)+", "/");
        if (rel.isEmpty() || rel.equals(".")) {
            addSource(base + "/", filter);
            return;
        }
        if (options.impliedDirs()) {
            for (int slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
                String parent = rel.substring(0, slash);
                if (impliedSoFar.add(parent)) {
                    addImplied(parent, base.resolve(PathBytes.path(parent)));
                }
            }
        }
        byte[] name = PathBytes.bytes(rel);
        Path path = base.resolve(PathBytes.path(rel));
        LocalStat st;
        try {
            st = contentsOnly ? Posix.statOrNull(path) : stat(path);
            if (st == null) {
                throw new NoSuchFileException(path.toString());
            }
        } catch (IOException e) {
            if (e instanceof NoSuchFileException && missingArgs == Options.IGNORE_MISSING) {
                return;
            }
            if (e instanceof NoSuchFileException && missingArgs == Options.DELETE_MISSING) {
                entries.add(FileEntry.missing(name, path.getParent())); // the receiver deletes what it has there
                return;
            }
            ioError |= 1;
            log.error("rsync: [sender] link_stat \"" + Escaped.of(path.toAbsolutePath()) + "\" failed: "
                    + (e instanceof NoSuchFileException ? "No such file or directory (2)" : Posix.describe(e)));
            return;
        }
        if (filter.excluded(name, st.isDirectory())) {
            return;
        }
        if (st.isDirectory() && !options.recursive() && !options.dirs()) {
            log.info("skipping directory " + Escaped.of(name));
            return;
        }
        if (!st.isDirectory()) {
            add(name, path, st, 0);
            return;
        }
        boolean withContents = options.recursive() || contentsOnly;
        // a listed directory without its contents is not flagged as an implied one (rsync/flist.c:send_file_entry)
        FileEntry dir = add(name, path, st, withContents ? XmitFlags.TOP_DIR : XmitFlags.NO_CONTENT_DIR);
        if (dir != null && withContents) {
            impliedSoFar.add(rel);
            scanDirectory(path, name, st.dev(), filter.enter(path, name));
        }
    }

    private void addImplied(String rel, Path path) {
        try {
            LocalStat st = Posix.statOrNull(path);
            if (st != null && st.isDirectory()) {
                // rsync's implied-directory encoding, which a --no-implied-dirs receiver passes by
                add(PathBytes.bytes(rel), path, st, XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR);
            }
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] link_stat \"" + Escaped.of(path) + "\" failed: " + Posix.describe(e));
        }
    }

    // rsync/flist.c:send_implied_dirs: a parent sent for its place and attributes, not its contents
    private void addParent(String rel, Path path, int dirFlags, Set<String> added) {
        if (!added.add(rel)) {
            return;
        }
        try {
            add(PathBytes.bytes(rel), path, stat(path), dirFlags);
        } catch (NoSuchFileException e) {
            // vanished with its listed children, which are then skipped too
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] link_stat \"" + Escaped.of(path) + "\" failed: " + Posix.describe(e));
        }
    }

    // rsync/flist.c:send_directory. The entries go out in file-list order, a directory's contents right after
    // it, so the sort that follows finds one sorted run instead of sorting 100,000 names from scratch.
    private void scanDirectory(Path dir, byte[] relDir, long rootDev, ScanFilter filter) {
        for (FileEntry e : readDirectory(dir, relDir, rootDev, filter)) {
            entries.add(e);
            if (e.isDirectory() && !e.isNoContentDir()) {
                Path sub = pathOf(e);
                scanDirectory(sub, e.name(), rootDev, filter.enter(sub, e.name()));
            }
        }
    }

    /**
     * One directory's entries, sorted among themselves (rsync/flist.c:send_directory without recursing).
     * Diverting directories, each one with contents waits for its own list under {@code filter}.
     */
    private List<FileEntry> readDirectory(Path dir, byte[] relDir, long rootDev, ScanFilter filter) {
        byte[] prefixBytes = relDir;
        if (relDir.length > 0) {
            prefixBytes = Arrays.copyOf(relDir, relDir.length + 1);
            prefixBytes[relDir.length] = '/';
        }
        List<FileEntry> children = new ArrayList<>();
        int fd;
        try {
            fd = pinned(dir);
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] opendir \"" + shown(dir) + "\" failed: " + Posix.describe(e));
            return List.of();
        }
        // every name is read beneath the pinned descriptor: stat, readlink, attributes and sums alike
        Path via = procFd ? Posix.fdPath(fd) : dir;
        try (DirReader reader = DirReader.open(via)) {
            if (!mayList(via, relDir)) {
                return List.of();
            }
            for (byte[] name = reader.next(); name != null; name = reader.next()) {
                Path file = via.resolve(PathBytes.path(name));
                LocalStat st;
                try {
                    st = reader.lstat(name);
                    if (st.isDirectory()) {
                        listedDirs.put(dir.resolve(PathBytes.path(name)), new Inode(st.dev(), st.ino()));
                    }
                    if (options.fakeSuper()) {
                        st = FakeSuper.withStoredAttrs(file, st);
                    }
                    if (st.isSymlink() && options.follow().any()) {
                        st = followed(file, relName(prefixBytes, name), st);
                        if (st == null) {
                            continue;
                        }
                        if (st.isDirectory()) {
                            listedDirs.put(dir.resolve(PathBytes.path(name)), new Inode(st.dev(), st.ino()));
                        }
                    }
                } catch (NoSuchFileException e) {
                    continue; // vanished between readdir and stat, as rsync ignores it
                } catch (IOException e) {
                    ioError |= 1;
                    log.error("rsync: [sender] readlink_stat \"" + shown(file) + "\" failed: " + Posix.describe(e));
                    continue;
                }
                byte[] rel = relName(prefixBytes, name);
                if (filter != ScanFilter.NONE && filter.excluded(rel, st.isDirectory())) {
                    continue;
                }
                // rsync/flist.c:make_file: -x sends a mount point without its contents, -xx leaves it out
                boolean mountPoint = st.isDirectory() && options.oneFileSystem() > 0 && st.dev() != rootDev;
                if (mountPoint && options.oneFileSystem() > 1) {
                    continue;
                }
                boolean contentless = st.isDirectory() && (!options.recursive() || mountPoint);
                FileEntry e = entry(rel, dir, via, st, contentless ? XmitFlags.NO_CONTENT_DIR : 0);
                if (e != null) {
                    children.add(e);
                    if (divertDirs && e.isDirectory() && !contentless) {
                        pending.put(e, new Subtree(filter, rootDev));
                    }
                }
            }
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] opendir \"" + shown(dir) + "\" failed: " + Posix.describe(e));
            return List.of();
        } finally {
            Posix.close(fd);
        }
        children.sort(FileNameOrder.siblings(prefixBytes.length));
        return children;
    }

    /**
     * Directory {@code dir} opened to be listed (rsync/flist.c:send_directory's opendir, as rsync 3.5 confines
     * it): one its parent's listing found is opened without following a symlink in its place and must be that
     * very directory by device and inode, so a component on its path swapped for a symlink since (a race the
     * tree's owner can run against a more privileged sender) fails the directory instead of listing where the
     * symlink leads. The first directory of a source is taken as it is and remembered the same way, for the
     * files later opened in it.
     */
    private int pinned(Path dir) throws IOException {
        Inode listed = listedDirs.get(dir);
        boolean follow = listed == null || options.follow().any();
        int fd;
        try {
            fd = BeneathOpener.openat(Posix.AT_FDCWD, PathBytes.of(dir), Posix.O_PATH | Posix.O_DIRECTORY
                    | Posix.O_CLOEXEC | (follow ? 0 : Posix.O_NOFOLLOW));
        } catch (BeneathOpener.OpenFailure e) {
            throw e.on(dir.toString());
        }
        try {
            LocalStat now = Posix.fstat(fd);
            if (listed == null) {
                listedDirs.put(dir, new Inode(now.dev(), now.ino()));
            } else if (now.dev() != listed.dev() || now.ino() != listed.ino()) {
                throw new IOException("the directory was replaced since it was listed");
            }
            return fd;
        } catch (IOException e) {
            Posix.close(fd);
            throw e;
        }
    }

    /** A path for a message: a pinned descriptor's prefix shown as the directory it stands for. */
    private static String shown(Path path) {
        return Escaped.of(Posix.named(path).toAbsolutePath());
    }

    private static byte[] relName(byte[] prefix, byte[] name) {
        byte[] rel = new byte[prefix.length + name.length];
        System.arraycopy(prefix, 0, rel, 0, prefix.length);
        System.arraycopy(name, 0, rel, prefix.length, name.length);
        return rel;
    }

    /** The lstat of a named path, with fake super's stored attributes over it ({@code rsync/flist.c:link_stat}). */
    private LocalStat stat(Path path) throws IOException {
        LocalStat st = LocalStat.of(path);
        st = options.fakeSuper() ? FakeSuper.withStoredAttrs(path, st) : st;
        if (st.isSymlink() && options.follow().any()) {
            LocalStat referent = followed(path, PathBytes.of(path), st);
            if (referent == null) {
                throw new NoSuchFileException(path.toString());
            }
            return referent;
        }
        return st;
    }

    /**
     * What symlink {@code path} (named {@code name} in the transfer) is listed as ({@code rsync/flist.c:readlink_stat},
     * {@code link_stat}): its referent with -L, with -k when that is a directory, with --copy-unsafe-links when
     * the link leads out of the transfer; else the link itself. Null, after rsync's "symlink has no referent", when
     * a link to be followed leads nowhere.
     */
    private LocalStat followed(Path path, byte[] name, LocalStat link) throws IOException {
        ScanOptions.Follow f = options.follow();
        boolean follow = f.all();
        if (!follow && f.unsafe()) {
            follow = SymlinkSafety.unsafe(Posix.readlink(path), name);
        }
        if (!follow && f.dirs()) {
            LocalStat referent = Posix.statOrNull(path);
            return referent != null && referent.isDirectory() ? referent : link;
        }
        if (!follow) {
            return link;
        }
        LocalStat referent = Posix.statOrNull(path);
        if (referent == null) {
            ioError |= 1;
            log.error("symlink has no referent: \"" + Escaped.of(path.toAbsolutePath()) + "\"");
            return null;
        }
        return referent;
    }

    /**
     * Whether a directory may be listed: anywhere, unless links are followed within a root (a daemon's module),
     * where one whose real path leads out is refused as rsync's confined opendir refuses it, the link itself
     * still listed as the directory it stands for.
     */
    private boolean mayList(Path pinnedDir, byte[] relDir) throws IOException {
        ScanOptions.Follow f = options.follow();
        if (!f.any() || f.within() == null || realPath(pinnedDir).startsWith(f.within())) {
            return true;
        }
        ioError |= 1;
        log.error("rsync: [sender] opendir \"" + Escaped.of(relDir) + "\" failed: Too many levels of symbolic links (40)");
        return false;
    }

    /**
     * Where an open descriptor's path ({@link Posix#fdPath}) leads, as the kernel names it: no walk through
     * the ancestors, which a daemon past its privilege drop may not search. In a chroot, without /proc, the
     * real path.
     */
    private Path realPath(Path pinned) throws IOException {
        return procFd ? Posix.named(pinned) : pinned.toRealPath();
    }

    // rsync/flist.c:make_file for an argument or listed path
    private FileEntry add(byte[] name, Path path, LocalStat st, int dirFlags) {
        Path localDir = Arrays.equals(name, DOT) ? path : path.getParent() != null ? path.getParent() : Path.of("");
        FileEntry e = entry(name, localDir, localDir, st, dirFlags);
        if (e != null) {
            entries.add(e);
        }
        return e;
    }

    /** rsync/flist.c:make_file; the file is read in {@code readDir}, {@code localDir} pinned where it is listed. */
    private FileEntry entry(byte[] name, Path localDir, Path readDir, LocalStat st, int dirFlags) {
        int mode = st.mode();
        if (!st.isSymlink() && !options.chmod().isEmpty()) {
            // rsync/flist.c:send_file_name tweaks the mode it lists by --chmod
            mode = mode & ~07777 | options.chmod().apply(mode & 07777, st.isDirectory());
        }
        FileEntry.Builder b = FileEntry.builder(name, mode)
                .size(st.isDirectory() || st.isRegular() || st.isSymlink() ? st.size() : 0)
                .mtime(st.mtimeSeconds(), st.mtimeNanos())
                .atime(st.isDirectory() ? 0 : st.atimeSeconds())
                .owner(st.uid(), st.gid())
                .localDir(localDir);
        if (options.hardLinks() && !st.isDirectory() && st.nlink() > 1) {
            // rsync/flist.c:make_file keeps dev and inode for send_file_entry; a group number says the same
            b.hardLinkGroup(hardLinkGroups.computeIfAbsent(new Inode(st.dev(), st.ino()), k -> hardLinkGroups.size()));
        }
        if (st.isSymlink()) {
            if (!options.links()) {
                if (options.listing()) {
                    return b.build(); // listed without its target, as rsync lists it
                }
                log.info("skipping non-regular file \"" + Escaped.of(name) + "\"");
                return null;
            }
            Path path = pathOf(name, readDir);
            byte[] target;
            try {
                target = options.fakeSuper() ? FakeSuper.readlink(path, true) : Posix.readlink(path);
            } catch (IOException e) {
                ioError |= 1;
                log.error("rsync: [sender] readlink \"" + shown(path) + "\" failed: " + Posix.describe(e));
                return null;
            }
            if (target.length == 0) {
                return null;
            }
            b.linkTarget(target);
        } else if (st.isDevice()) {
            if (!options.devices() && !options.listing()) {
                log.info("skipping non-regular file \"" + Escaped.of(name) + "\"");
                return null;
            }
            b.rdev(st.rdevMajor(), st.rdevMinor());
        } else if (st.isSpecial()) {
            if (!options.specials() && !options.listing()) {
                log.info("skipping non-regular file \"" + Escaped.of(name) + "\"");
                return null;
            }
        } else if (st.isDirectory()) {
            b.dirFlags(dirFlags);
        } else if (st.isRegular() && options.fileChecksum() != null) {
            b.checksum(fileChecksum(pathOf(name, readDir)));
        } else if (!st.isRegular()) {
            return null;
        }
        if (options.acls() && !st.isSymlink() && !withAcls(b, pathOf(name, readDir), mode)) {
            return null;
        }
        if (options.xattrs() != null) {
            // rsync/flist.c:send_file_name's get_xattr; a set many files share is kept once
            Path path = pathOf(name, readDir);
            try {
                XattrSet set = LocalXattrs.get(path, options.xattrs(), true);
                b.xattrs(xattrSets.computeIfAbsent(set, k -> k));
            } catch (IOException e) {
                ioError |= 1;
                log.error("rsync: [sender] get_xattr_names: llistxattr(\"" + Escaped.of(path) + "\") failed: "
                        + Posix.describe(e));
                return null;
            }
        }
        return b.build();
    }

    /**
     * rsync/flist.c:send_file_name's {@code get_acl}, condensed as {@code send_acl} sends it: the access ACL without
     * what {@code mode} says, a directory's default ACL; ACLs many files share are kept once. False when they
     * cannot be read, which leaves the file out.
     */
    private boolean withAcls(FileEntry.Builder b, Path path, int mode) {
        try {
            RsyncAcl acl = LocalAcls.access(path, mode, options.fakeSuper()).stripped(mode);
            RsyncAcl dflt = FileMode.isDirectory(mode) ? LocalAcls.defaults(path, mode, options.fakeSuper()) : null;
            b.acls(aclsSeen.computeIfAbsent(acl, k -> k), dflt == null ? null : aclsSeen.computeIfAbsent(dflt, k -> k));
            return true;
        } catch (IOException e) {
            ioError |= 1;
            log.error("rsync: [sender] get_acl: sys_acl_get_file(" + Escaped.of(path) + ", ACL_TYPE_ACCESS): "
                    + Posix.describe(e));
            return false;
        }
    }

    private byte[] fileChecksum(Path path) {
        FileDigest d = FileDigest.forFileList(options.fileChecksum());
        byte[] buf = new byte[64 << 10];
        try (InputStream in = Channels.newInputStream(read(path, true))) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            // rsync sends a zeroed sum for a file it cannot read; the transfer then reports the error.
            ioError |= 1;
            return new byte[d.digestLength()];
        }
        return d.finish();
    }
}
