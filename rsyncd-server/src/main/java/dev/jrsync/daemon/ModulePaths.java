package dev.jrsync.daemon;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Confines the paths a client names to its module ({@code rsync/clientserver.c:glob_expand_module},
 * {@code util1.c:sanitize_path}). A JVM cannot chroot, so this plays rsync's {@code use chroot = no}
 * role and goes further than sanitizing: {@code ..} components and absolute names are refused outright
 * rather than collapsed, and every directory on the way is resolved without letting a symlink lead out
 * of the module (a symlink whose target stays inside is followed, as the file system would inside a chroot).
 *
 * <p>What is checked here is the state at resolution time; the sender then lists each source beneath the
 * module root the session pinned ({@link ConfinedDirs#source}), so a directory swapped for a symlink in
 * between is not followed out of the module.
 */
public final class ModulePaths {
    /** The most symlinks followed while resolving one argument (Linux's MAXSYMLINKS). */
    static final int MAX_SYMLINKS = 40;
    /** The most names one wildcard argument may expand to, and the most directory entries it may scan. */
    static final int MAX_GLOB_MATCHES = 100_000;

    private final String module;
    private final Path root;

    /** @param root the module's {@code path}; it must exist */
    public ModulePaths(String module, Path root) throws IOException {
        this.module = module;
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /** A path the client may not have. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Turns one path argument ({@code module/inner/path}, {@code module/} or {@code module}) into a local
     * source argument for the scanner: an absolute path beneath the module root, with the trailing slash
     * kept because it means "the directory's contents".
     */
    public String resolveArgument(String arg) throws Refused {
        return resolveInner(inner(arg));
    }

    /**
     * {@link #resolveArgument} after expanding shell wildcards in the path against the module, as rsync's
     * daemon globs its path arguments ({@code glob_expand_module}): matches in name order, dot files only
     * for a pattern that starts with a dot, an argument that matches nothing passed on literally.
     */
    public List<String> expandArgument(String arg) throws Refused {
        String inner = inner(arg);
        if (!hasWildcard(inner)) {
            return List.of(resolveInner(inner));
        }
        boolean trailingSlash = inner.endsWith("/");
        List<String> matches = List.of("");
        for (String part : inner.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new Refused("\"..\" in path \"" + inner + "\" refused");
            }
            List<String> next = new ArrayList<>();
            for (String prefix : matches) {
                if (!hasWildcard(part)) {
                    next.add(prefix + part);
                    continue;
                }
                for (String name : list(prefix, part)) {
                    if (next.size() >= MAX_GLOB_MATCHES) {
                        throw new Refused("wildcards in \"" + inner + "\" match too many names");
                    }
                    next.add(prefix + name);
                }
            }
            if (next.isEmpty()) {
                return List.of(resolveInner(inner));
            }
            matches = next.stream().map(m -> m + "/").toList();
        }
        // Two matches can be one place (a symlink inside the module and its target): send it once.
        Set<String> out = new LinkedHashSet<>();
        for (String m : matches) {
            out.add(resolveInner(trailingSlash ? m : m.substring(0, m.length() - 1)));
        }
        return List.copyOf(out);
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** The names in directory {@code prefix} (relative, "" or ending in '/') that match {@code pattern}, sorted. */
    private List<String> list(String prefix, String pattern) throws Refused {
        Path dir;
        try {
            dir = prefix.isEmpty() ? root : resolve(prefix, true);
        } catch (Refused e) {
            return List.of(); // a match that leads out of the module is no match
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        boolean dots = pattern.startsWith(".");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            int seen = 0;
            for (Path p : ds) {
                if (++seen > MAX_GLOB_MATCHES) {
                    throw new Refused("directory too large to expand \"" + pattern + "\" in");
                }
                String name = PathBytes.text(p.getFileName());
                if ((dots || !name.startsWith(".")) && matcher.matches(p.getFileName())) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /** The part of a path argument below the module name ({@code module/inner} gives {@code inner}). */
    String innerPath(String arg) throws Refused {
        return inner(arg);
    }

    private String inner(String arg) throws Refused {
        String inner;
        if (arg.equals(module)) {
            inner = "";
        } else if (arg.startsWith(module + "/")) {
            inner = arg.substring(module.length() + 1);
        } else {
            throw new Refused("path \"" + arg + "\" is not in module " + module);
        }
        if (inner.startsWith("/")) {
            throw new Refused("absolute path \"" + inner + "\" refused");
        }
        return inner;
    }

    private String resolveInner(String inner) throws Refused {
        boolean contents = inner.isEmpty() || inner.endsWith("/") || inner.equals(".") || inner.endsWith("/.");
        Path resolved = resolve(inner, contents);
        String s = PathBytes.text(resolved);
        return contents && !s.endsWith("/") ? s + "/" : s;
    }

    /**
     * Resolves {@code inner} ('/'-separated, relative) beneath the root. Symlinked directories are followed
     * only while they stay inside; the last component is left as it is (a symlink is sent as a symlink)
     * unless {@code followLast}, which a "dir/" argument means.
     */
    Path resolve(String inner, boolean followLast) throws Refused {
        Path cur = root;
        String[] parts = inner.split("/");
        int links = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new Refused("\"..\" in path \"" + inner + "\" refused");
            }
            cur = cur.resolve(PathBytes.path(part));
            boolean last = lastComponent(parts, i);
            if ((!last || followLast) && Files.isSymbolicLink(cur)) {
                if (++links > MAX_SYMLINKS) {
                    throw new Refused("too many levels of symbolic links in \"" + inner + "\"");
                }
                cur = inside(cur, inner);
            } else if (!last && !Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                // Not there: let the scanner report "No such file" for the joined path as rsync would.
                return root.resolve(PathBytes.path(inner));
            }
        }
        return cur;
    }

    private static boolean lastComponent(String[] parts, int i) {
        for (int j = i + 1; j < parts.length; j++) {
            if (!parts[j].isEmpty() && !parts[j].equals(".")) {
                return false;
            }
        }
        return true;
    }

    /** The real path behind a symlink, refused when it is not beneath the module root. */
    private Path inside(Path link, String inner) throws Refused {
        Path real;
        try {
            real = link.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused("symlink in \"" + inner + "\" leads nowhere");
        } catch (IOException e) {
            throw new Refused("cannot resolve \"" + inner + "\": " + Posix.describe(e));
        }
        if (!real.startsWith(root)) {
            throw new Refused("symlink in \"" + inner + "\" leads out of module " + module);
        }
        return real;
    }
}
