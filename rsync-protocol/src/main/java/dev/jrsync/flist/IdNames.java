package dev.jrsync.flist;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Translation between numeric user/group ids and names on this machine ({@code uid_to_user},
 * {@code user_to_uid} ... in rsync/uidlist.c). Pluggable so that tests and confined daemons don't
 * depend on the host's account database.
 */
public interface IdNames {
    /** The user name of {@code uid}, or null when it has none. */
    String userName(int uid);

    /** The group name of {@code gid}, or null when it has none. */
    String groupName(int gid);

    OptionalInt uidOf(String userName);

    OptionalInt gidOf(String groupName);

    /** The host's {@code /etc/passwd} and {@code /etc/group}, read once. */
    static IdNames system() {
        return EtcIdNames.system();
    }

    /** No names at all: every id stays the number it is ({@code numeric ids}). */
    static IdNames none() {
        return of(Map.of(), Map.of());
    }

    /** Fixed tables (id to name); for the reverse direction the first id listed for a name wins. */
    static IdNames of(Map<Integer, String> users, Map<Integer, String> groups) {
        Map<Integer, String> u = new LinkedHashMap<>(users);
        Map<Integer, String> g = new LinkedHashMap<>(groups);
        Map<String, Integer> uRev = new HashMap<>();
        Map<String, Integer> gRev = new HashMap<>();
        u.forEach((id, name) -> uRev.putIfAbsent(name, id));
        g.forEach((id, name) -> gRev.putIfAbsent(name, id));
        return new IdNames() {
            @Override
            public String userName(int uid) {
                return u.get(uid);
            }

            @Override
            public String groupName(int gid) {
                return g.get(gid);
            }

            @Override
            public OptionalInt uidOf(String userName) {
                Integer id = uRev.get(userName);
                return id == null ? OptionalInt.empty() : OptionalInt.of(id);
            }

            @Override
            public OptionalInt gidOf(String groupName) {
                Integer id = gRev.get(groupName);
                return id == null ? OptionalInt.empty() : OptionalInt.of(id);
            }
        };
    }
}
