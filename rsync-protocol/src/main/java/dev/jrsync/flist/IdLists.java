package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.function.Function;

/**
 * The uid and gid names of a file list (rsync/uidlist.c): the sender names every distinct id it used,
 * in lists after the entries or, with incremental recursion, inline in the entry that first uses the id;
 * the receiver maps the names to its own ids.
 */
public final class IdLists {
    private static final int MAX_NAME_BYTES = 255;
    /** A LinkedHashMap entry, a boxed id and a String's header, about. */
    private static final int ID_ENTRY_OVERHEAD = 40 + 16 + 40;

    private final IdNames names;
    private final SequencedMap<Integer, String> users = new LinkedHashMap<>();
    private final SequencedMap<Integer, String> groups = new LinkedHashMap<>();
    /** What the names read inline so far were charged to the input's allocation budget. */
    private long inlineBytes;

    private IdLists(IdNames names) {
        this.names = names;
    }

    /** An empty list for the sending side; names are looked up in {@code names} as ids are added. */
    public static IdLists forSending(IdNames names) {
        return new IdLists(names);
    }

    /** An empty list that names read inline in the entries are added to ({@code recv_user_name}). */
    static IdLists forInlineNames() {
        return new IdLists(null);
    }

    /**
     * Records a uid seen in the list, with its name ({@code rsync/uidlist.c:add_uid}); returns the
     * name only the first time the uid is seen, when an incrementally sent list names it inline.
     */
    public String addUid(int uid) {
        if (users.containsKey(uid)) {
            return null;
        }
        String name = names.userName(uid);
        users.put(uid, name);
        return name;
    }

    /** Records a gid seen in the list ({@code rsync/uidlist.c:add_gid}); returns the name as {@link #addUid}. */
    public String addGid(int gid) {
        if (groups.containsKey(gid)) {
            return null;
        }
        String name = names.groupName(gid);
        groups.put(gid, name);
        return name;
    }

    /** Writes a name inline after its id ({@code rsync/flist.c:send_file_entry}), cut as {@link #writeName}. */
    static void writeInlineName(ProtocolOutput out, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(b.length, MAX_NAME_BYTES);
        out.writeByte(len);
        out.write(b, 0, len);
    }

    /** Reads the user name that follows a uid inline ({@code rsync/uidlist.c:recv_user_name}). */
    void readUserName(ProtocolInput in, int uid, FileListOptions options) {
        readInline(in, users, uid, options, "uid");
    }

    /** Reads the group name that follows a gid inline ({@code rsync/uidlist.c:recv_group_name}). */
    void readGroupName(ProtocolInput in, int gid, FileListOptions options) {
        readInline(in, groups, gid, options, "gid");
    }

    // charged as the lists after a whole file list are, for as long as the session lasts
    private void readInline(ProtocolInput in, Map<Integer, String> list, int id, FileListOptions options,
                            String what) {
        String name = readName(in);
        if (!list.containsKey(id)) {
            if (list.size() >= options.maxEntries()) {
                throw new ProtocolException("too many entries in the " + what + " list (> " + options.maxEntries() + ")");
            }
            long grown = inlineBytes + ID_ENTRY_OVERHEAD + (name == null ? 0 : name.length());
            in.maxAlloc().grow(inlineBytes, grown, "Receiver", what + " list");
            inlineBytes = grown;
        }
        list.put(id, name);
    }

    /**
     * Writes the lists the options call for ({@code rsync/uidlist.c:send_id_lists}). Only named
     * non-zero ids are listed, most recently added first as stock rsync does; id 0 is the
     * terminator, followed by its name when {@code CF_ID0_NAMES} was negotiated.
     */
    public void write(ProtocolOutput out, FileListOptions options) {
        if (names == null) {
            throw new IllegalStateException("received id lists are not for sending");
        }
        if (options.sendsUidList()) {
            writeOne(out, users, options.id0Names() ? names.userName(0) : null, options.id0Names());
        }
        if (options.sendsGidList()) {
            writeOne(out, groups, options.id0Names() ? names.groupName(0) : null, options.id0Names());
        }
    }

    // rsync/uidlist.c:send_one_list
    private static void writeOne(ProtocolOutput out, SequencedMap<Integer, String> list, String id0Name,
                                 boolean id0Names) {
        for (Map.Entry<Integer, String> e : list.reversed().entrySet()) {
            if (e.getKey() != 0 && e.getValue() != null) {
                writeName(out, e.getKey(), e.getValue());
            }
        }
        if (id0Names) {
            writeName(out, 0, id0Name == null ? "" : id0Name);
        } else {
            out.writeVarint30(0);
        }
    }

    // rsync/uidlist.c:send_one_name — names longer than a length byte are cut, as rsync does
    private static void writeName(ProtocolOutput out, int id, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(b.length, MAX_NAME_BYTES);
        out.writeVarint30(id);
        out.writeByte(len);
        out.write(b, 0, len);
    }

    /**
     * Reads the lists the options call for ({@code rsync/uidlist.c:recv_id_list}); each list may
     * hold at most {@link FileListOptions#maxEntries()} ids.
     */
    public static IdLists read(ProtocolInput in, FileListOptions options) {
        return read(in, options, new IdLists(null));
    }

    /**
     * As {@link #read(ProtocolInput, FileListOptions)}, into the names a sender gave inline in the entries
     * ({@code inline}, from {@link #forInlineNames}), which keep their names as rsync's {@code recv_add_id}
     * keeps the first one it was given for an id.
     */
    static IdLists read(ProtocolInput in, FileListOptions options, IdLists inline) {
        if (options.sendsUidList()) {
            readOne(in, inline.users, options, "uid");
        }
        if (options.sendsGidList()) {
            readOne(in, inline.groups, options, "gid");
        }
        return inline;
    }

    private static void readOne(ProtocolInput in, Map<Integer, String> list, FileListOptions options, String what) {
        int count = 0;
        long listBytes = 0;
        int id;
        while ((id = in.readVarint30()) != 0) {
            if (++count > options.maxEntries()) {
                throw new ProtocolException("too many entries in the " + what + " list (> " + options.maxEntries() + ")");
            }
            String name = readName(in);
            // charged as the file list is: the map's entry, the boxed id and the name
            long grown = listBytes + ID_ENTRY_OVERHEAD + (name == null ? 0 : name.length());
            in.maxAlloc().grow(listBytes, grown, "Receiver", what + " list");
            listBytes = grown;
            list.putIfAbsent(id, name);
        }
        if (options.id0Names()) {
            list.putIfAbsent(0, readName(in));
        }
    }

    // rsync/uidlist.c:recv_user_name — an empty name means "no name"
    private static String readName(ProtocolInput in) {
        int len = in.readUnsignedByte();
        if (len == 0) {
            return null;
        }
        byte[] b = in.readBytes(len);
        for (byte c : b) {
            if (c == 0) {
                throw new ProtocolException("user/group name with a NUL byte: "
                        + new String(b, StandardCharsets.UTF_8).replace('\0', '?'));
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Looks each name up in {@code local} (see {@link FileListDecoder#lookUpInlineNames}). */
    void lookUp(IdNames local) {
        users.values().stream().filter(Objects::nonNull).forEach(local::uidOf);
        groups.values().stream().filter(Objects::nonNull).forEach(local::gidOf);
    }

    /** The name the peer gave for {@code uid}, or null. */
    public String userName(int uid) {
        return users.get(uid);
    }

    /** The name the peer gave for {@code gid}, or null. */
    public String groupName(int gid) {
        return groups.get(gid);
    }

    /**
     * Replaces the peer's ids in {@code entries} by local ones ({@code recv_add_id}, {@code match_uid}, {@code
     * match_gid}): the first rule of {@code maps} that matches, else, with {@code byName}, the local id of the
     * same name. Id 0 and ids without a name, or whose name is unknown here, stay as they are otherwise. Which of
     * the two to map is the caller's policy (rsync maps uids only as root, and nothing at all with a daemon's
     * forced numeric ids).
     */
    public void mapOwners(Iterable<FileEntry> entries, IdNames local, boolean mapUids, boolean mapGids,
                          OwnerMaps maps, boolean byName) {
        Map<Integer, Integer> uidCache = new HashMap<>();
        Map<Integer, Integer> gidCache = new HashMap<>();
        // rsync names an id 0 the sender did not name "root" for the maps' name rules, where names travel at all:
        // under --numeric-ids every id is nameless, and an empty name rule matches them all
        Function<Integer, Integer> uidOf = id -> maps.users().map(id, byName && id == 0 && users.get(id) == null ? "root"
                : users.get(id)).orElseGet(() -> byName ? localId(id, users.get(id), local::uidOf) : id);
        Function<Integer, Integer> gidOf = id -> maps.groups().map(id, byName && id == 0 && groups.get(id) == null
                ? "root" : groups.get(id)).orElseGet(() -> byName ? localId(id, groups.get(id), local::gidOf) : id);
        for (FileEntry e : entries) {
            int uid = mapUids ? uidCache.computeIfAbsent(e.uid(), uidOf) : e.uid();
            int gid = mapGids ? gidCache.computeIfAbsent(e.gid(), gidOf) : e.gid();
            e.setOwner(uid, gid);
        }
    }

    /**
     * Replaces the peer's ids of the named entries in the ACLs of {@code entries} by local ones ({@code
     * match_acl_ids}), as {@link #mapOwners} maps owners; entries that shared an ACL still share one.
     */
    public void mapAclIds(Iterable<FileEntry> entries, IdNames local, OwnerMaps maps, boolean byName) {
        Map<Integer, Integer> uidCache = new HashMap<>();
        Map<Integer, Integer> gidCache = new HashMap<>();
        Function<Integer, Integer> uidOf = id -> maps.users().map(id, users.get(id))
                .orElseGet(() -> byName ? localId(id, users.get(id), local::uidOf) : id);
        Function<Integer, Integer> gidOf = id -> maps.groups().map(id, groups.get(id))
                .orElseGet(() -> byName ? localId(id, groups.get(id), local::gidOf) : id);
        Map<RsyncAcl, RsyncAcl> mapped = new IdentityHashMap<>();
        Function<RsyncAcl, RsyncAcl> mapAcl = acl -> {
            List<RsyncAcl.Ida> names = new ArrayList<>(acl.names().size());
            for (RsyncAcl.Ida ida : acl.names()) {
                int id = ida.isUser() ? uidCache.computeIfAbsent(ida.id(), uidOf)
                        : gidCache.computeIfAbsent(ida.id(), gidOf);
                names.add(new RsyncAcl.Ida(id, ida.access()));
            }
            return new RsyncAcl(acl.userObj(), acl.groupObj(), acl.maskObj(), acl.otherObj(), names);
        };
        for (FileEntry e : entries) {
            if (!e.acl().names().isEmpty() || !e.defaultAcl().names().isEmpty()) {
                e.setAcls(mapped.computeIfAbsent(e.acl(), mapAcl), mapped.computeIfAbsent(e.defaultAcl(), mapAcl));
            }
        }
    }

    private static int localId(int id, String name, Function<String, OptionalInt> lookup) {
        if (id == 0 || name == null) {
            return id;
        }
        return lookup.apply(name).orElse(id);
    }
}
