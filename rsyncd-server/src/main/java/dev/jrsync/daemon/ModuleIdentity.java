package dev.jrsync.daemon;

import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.ThreadCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * Who a module's session runs as and where its root is: {@code uid}, {@code gid} and {@code use chroot} of
 * {@code rsync/clientserver.c:rsync_module}. A daemon run as root switches to the module's user (default
 * {@code nobody}) and groups (default {@code nobody}, else {@code nogroup}, as rsync's build picks), and
 * chroots into the module unless {@code use chroot = no} (into the part before a "/./" in {@code path}, the
 * module then being the part after it). Run as anyone else it keeps its identity, and an unset
 * {@code use chroot} becomes "no" when the chroot test fails, as rsync's does.
 *
 * <p>rsync forks a child per connection and changes the whole child. Here a session is a platform thread:
 * {@link #enter} changes only that thread ({@link ThreadCredentials}), and the role threads it starts
 * inherit it, so every file the session creates and every permission check the kernel makes for it is the
 * module user's, while the accept loop and the other sessions stay root.
 */
final class ModuleIdentity {
    /** Why a session cannot take the module's identity: the daemon log line and the client's @ERROR text. */
    static final class Refused extends Exception {
        final String clientText;

        Refused(String logLine, String clientText) {
            super(logLine);
            this.clientText = clientText;
        }
    }

    private static final String NOBODY_USER = "nobody";
    private static final Path ROOT = Path.of("/");
    /** rsync's marker in {@code path} between the chroot directory and the module below it. */
    private static final String INNER_MARK = "/./";
    private static final List<String> NOBODY_GROUPS = List.of("nobody", "nogroup");

    private final int uid;
    private final int[] gids;
    private final boolean chroot;
    /** Where the chroot goes: the module directory, or the part of its path before a "/./". */
    private final Path chrootDir;
    /** The module directory as the session sees it: its real path, or its path inside the chroot. */
    private final Path sessionRoot;
    private final boolean numericIds;
    private final boolean mungeSymlinks;

    private ModuleIdentity(int uid, int[] gids, boolean chroot, Path chrootDir, Path sessionRoot, ModuleConfig m) {
        this.uid = uid;
        this.gids = gids;
        this.chroot = chroot;
        this.chrootDir = chrootDir;
        this.sessionRoot = sessionRoot;
        this.numericIds = m.numericIds(chroot);
        // rsync munges by default unless the chroot is the module itself
        this.mungeSymlinks = m.mungeSymlinks(chroot && sessionRoot.equals(ROOT));
    }

    /**
     * Resolves the module's identity on the session thread, before it is taken: names are looked up in the
     * host's account files ({@code names}, {@code groupsOf}) and an unset {@code use chroot} is tested with a
     * chroot to "/" (which gives this thread its own root directory, still the real one).
     */
    static ModuleIdentity resolve(ModuleConfig m, Path moduleDir, IdNames names,
                                  Function<String, Set<String>> groupsOf, DaemonLog log) throws Refused {
        boolean amRoot = ThreadCredentials.euid() == 0;
        String user = m.uid() != null ? m.uid() : amRoot ? NOBODY_USER : null;
        int uid = -1;
        if (user != null) {
            OptionalInt id = lookup(user, names::uidOf);
            if (id.isEmpty()) {
                throw new Refused("Invalid uid " + user, "invalid uid " + user);
            }
            uid = id.getAsInt();
        }
        List<Integer> gids = new ArrayList<>();
        List<String> groups = m.gid();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (g.equals("*") && i == 0) {
                allGroupsOf(uid == -1 ? null : names.userName(uid), names, groupsOf, gids);
            } else {
                OptionalInt id = lookup(g, names::gidOf);
                if (id.isEmpty()) {
                    throw new Refused("Invalid gid " + g, "invalid gid " + g);
                }
                gids.add(id.getAsInt());
            }
        }
        if (groups.isEmpty() && amRoot) {
            OptionalInt nobody = NOBODY_GROUPS.stream().map(names::gidOf).filter(OptionalInt::isPresent)
                    .findFirst().orElse(OptionalInt.empty());
            if (nobody.isEmpty()) {
                throw new Refused("Invalid gid " + NOBODY_GROUPS.getLast(), "invalid gid " + NOBODY_GROUPS.getLast());
            }
            gids.add(nobody.getAsInt());
        }
        Boolean useChroot = m.useChroot();
        int mark = m.path().indexOf(INNER_MARK);
        boolean chroot;
        if (useChroot != null) {
            chroot = useChroot;
        } else if (mark >= 0) {
            chroot = true; // the path names its chroot directory
        } else {
            try {
                ThreadCredentials.chroot(Path.of("/"));
                chroot = true;
            } catch (ThreadCredentials.Failure e) {
                log.log("chroot test failed: " + e.reason() + ". Switching 'use chroot' from unset to false.");
                chroot = false;
            }
        }
        Path chrootDir = moduleDir;
        Path sessionRoot = chroot ? ROOT : moduleDir;
        if (chroot && mark >= 0) {
            try {
                chrootDir = Path.of(mark == 0 ? "/" : m.path().substring(0, mark)).toRealPath();
            } catch (IOException e) {
                throw new Refused("chroot directory of " + m.path() + ": " + e.getMessage(), "chdir failed");
            }
            if (!moduleDir.startsWith(chrootDir)) {
                throw new Refused("module path " + m.path() + " leaves its chroot directory", "chdir failed");
            }
            sessionRoot = ROOT.resolve(chrootDir.relativize(moduleDir));
        }
        return new ModuleIdentity(uid, gids.stream().mapToInt(Integer::intValue).toArray(), chroot, chrootDir,
                sessionRoot, m);
    }

    /** rsync's {@code user_to_uid}/{@code group_to_gid}: a number is taken as it is, a name is looked up. */
    private static OptionalInt lookup(String nameOrId, Function<String, OptionalInt> byName) {
        if (nameOrId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return OptionalInt.of(Integer.parseUnsignedInt(nameOrId));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        return byName.apply(nameOrId);
    }

    // rsync/clientserver.c:want_all_groups: "gid = *" is every group the module's user belongs to
    private static void allGroupsOf(String user, IdNames names, Function<String, Set<String>> groupsOf,
                                    List<Integer> gids) throws Refused {
        if (user == null) {
            throw new Refused("getpwuid failed", "getpwuid failed");
        }
        for (String g : groupsOf.apply(user)) {
            names.gidOf(g).ifPresent(gids::add);
        }
        if (gids.isEmpty()) {
            throw new Refused("getallgroups failed for " + user, "getallgroups failed");
        }
    }

    /**
     * Takes the identity on the calling thread, which must be a platform thread: chroot when chrooting, then
     * the groups, then the user.
     */
    void enter() throws Refused {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a module's identity is taken on a platform thread only");
        }
        if (chroot) {
            try {
                ThreadCredentials.chroot(chrootDir);
            } catch (IOException e) {
                throw new Refused(e.getMessage(), "chroot failed");
            }
        }
        if (gids.length > 0) {
            try {
                ThreadCredentials.setGid(gids[0]);
            } catch (IOException e) {
                throw new Refused(e.getMessage(), "setgid failed");
            }
            try {
                ThreadCredentials.setGroups(gids);
            } catch (IOException e) {
                throw new Refused(e.getMessage(), "setgroups failed");
            }
        }
        if (uid != -1) {
            try {
                ThreadCredentials.setUid(uid);
            } catch (IOException e) {
                throw new Refused(e.getMessage(), "setuid failed");
            }
        }
    }

    /**
     * The module directory as the session sees it: "/" once chrooted into it, the part after "/./" once
     * chrooted above it, else its real path.
     */
    Path sessionRoot() {
        return sessionRoot;
    }

    boolean chroot() {
        return chroot;
    }

    /** Whether names in file lists are ignored ({@code numeric ids}, on by default in a chroot). */
    boolean numericIds() {
        return numericIds;
    }

    /** Whether symlinks are munged ({@code munge symlinks}, on by default outside a chroot). */
    /**
     * rsync's {@code sanitize_paths} in a daemon ({@code module_dirlen} set): a module reached by its path, with
     * no chroot or a chroot above it, cleans the symlink targets it receives.
     */
    boolean sanitizesPaths() {
        return !(chroot && sessionRoot.equals(ROOT));
    }

    boolean mungeSymlinks() {
        return mungeSymlinks;
    }
}
