package dev.jrsync.flist;

/**
 * Everything both ends must agree on to read and write a file list: protocol version, the compat
 * flags that change the encoding, and the options that decide which attributes travel. {@code --crtimes},
 * which jrsync does not implement (nor does rsync on Linux), has no switch here: its wire form is refused.
 * {@code -X} has its rules here and {@code -A} its switch, since each entry's attributes follow it.
 *
 * @param protocol negotiated protocol version (28 to 32)
 * @param varintFlags {@code CF_VARINT_FLIST_FLAGS}: the flag word is a varint
 * @param preserveUid {@code -o}
 * @param preserveGid {@code -g}
 * @param preserveDevices {@code --devices}
 * @param preserveSpecials {@code --specials}
 * @param preserveLinks {@code -l}
 * @param checksumLength 0 without {@code -c}; else the digest length of the negotiated file checksum
 * @param numericIds the client asked for {@code --numeric-ids}: no uid/gid name lists are exchanged
 *     (a daemon that forces numeric ids still exchanges them and just ignores the names)
 * @param id0Names {@code CF_ID0_NAMES}: the id-list terminator carries the name of id 0
 * @param safeFlist {@code CF_SAFE_FLIST} was negotiated (protocol 30 only; implied from 31)
 * @param maxEntries refuse a list (and id lists) longer than this
 * @param incRecurse {@code CF_INC_RECURSE}: the list comes as a top list and one sub-list per directory,
 *     owner names ride inline in the entries ({@code XMIT_USER_NAME_FOLLOWS}) and no id lists follow
 * @param preserveHardLinks {@code -H}: entries name their hard-link group ({@code XMIT_HLINKED}); jrsync
 *     keeps such a list whole, never incremental, so that each group is complete once the list is
 * @param xattrs {@code -X}: each entry is followed by its extended attributes, read and written by these rules;
 *     null without it
 * @param acls {@code -A}: each entry but a symlink is followed by its ACL (a directory's default ACL too), whose
 *     named ids join the uid and gid lists
 * @param fakeSuper this side keeps privileged attributes in xattrs (rsync's {@code am_root < 0}): a received ACL's
 *     bits are stored, not set, so they are taken unchecked
 * @param deleteMissingArgs {@code --delete-missing-args}: an entry may have mode 0, a source the sender did not
 *     find ({@link FileEntry#isMissing})
 * @param atimes {@code -U}: each entry but a directory carries its access time ({@code XMIT_SAME_ATIME} when it
 *     is the previous one's)
 */
public record FileListOptions(int protocol, boolean varintFlags, boolean preserveUid, boolean preserveGid,
                              boolean preserveDevices, boolean preserveSpecials, boolean preserveLinks,
                              int checksumLength, boolean numericIds, boolean id0Names, boolean safeFlist,
                              int maxEntries, boolean incRecurse, boolean preserveHardLinks, XattrRules xattrs,
                              boolean acls, boolean fakeSuper, boolean deleteMissingArgs, boolean atimes) {

    public static final int MIN_PROTOCOL = 27;
    public static final int MAX_PROTOCOL = 32;
    /** Default entry cap: about 600 MB of entries, far above any sane single transfer. */
    public static final int DEFAULT_MAX_ENTRIES = 4_000_000;
    /** Longest file checksum any negotiable digest produces (SHA-1: 20; leave room). */
    public static final int MAX_CHECKSUM_LENGTH = 64;

    public FileListOptions {
        if (protocol < MIN_PROTOCOL || protocol > MAX_PROTOCOL) {
            throw new IllegalArgumentException("file lists are implemented for protocols " + MIN_PROTOCOL
                    + "-" + MAX_PROTOCOL + ", not " + protocol);
        }
        if (varintFlags && protocol < 30) {
            throw new IllegalArgumentException("varint flist flags need protocol 30+");
        }
        if (checksumLength < 0 || checksumLength > MAX_CHECKSUM_LENGTH) {
            throw new IllegalArgumentException("bad checksum length " + checksumLength);
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        if (incRecurse && protocol < 30) {
            throw new IllegalArgumentException("incremental recursion needs protocol 30+");
        }
        if (incRecurse && preserveHardLinks) {
            throw new IllegalArgumentException("jrsync sends and takes -H lists whole, not incrementally");
        }
        if (xattrs != null && protocol < 30) {
            throw new IllegalArgumentException("--xattrs requires protocol 30 or higher");
        }
        if (acls && protocol < 30) {
            throw new IllegalArgumentException("--acls requires protocol 30 or higher");
        }
    }

    /** Without {@code -X}, {@code -A} or {@code --delete-missing-args}. */
    public FileListOptions(int protocol, boolean varintFlags, boolean preserveUid, boolean preserveGid,
                           boolean preserveDevices, boolean preserveSpecials, boolean preserveLinks,
                           int checksumLength, boolean numericIds, boolean id0Names, boolean safeFlist,
                           int maxEntries, boolean incRecurse, boolean preserveHardLinks) {
        this(protocol, varintFlags, preserveUid, preserveGid, preserveDevices, preserveSpecials, preserveLinks,
                checksumLength, numericIds, id0Names, safeFlist, maxEntries, incRecurse, preserveHardLinks, null, false, false,
                false, false);
    }

    /** A list sent whole, without incremental recursion. */
    public FileListOptions(int protocol, boolean varintFlags, boolean preserveUid, boolean preserveGid,
                           boolean preserveDevices, boolean preserveSpecials, boolean preserveLinks,
                           int checksumLength, boolean numericIds, boolean id0Names, boolean safeFlist,
                           int maxEntries) {
        this(protocol, varintFlags, preserveUid, preserveGid, preserveDevices, preserveSpecials, preserveLinks,
                checksumLength, numericIds, id0Names, safeFlist, maxEntries, false, false, null, false, false, false, false);
    }

    /**
     * The options {@code -a} implies ({@code -rlptgoD}) without {@code -c}, for the given protocol and
     * compat flags.
     */
    public static FileListOptions archive(int protocol, boolean varintFlags, boolean id0Names, boolean safeFlist) {
        return new FileListOptions(protocol, varintFlags, true, true, true, true, true, 0, false, id0Names,
                safeFlist, DEFAULT_MAX_ENTRIES);
    }

    /** Whether an I/O error may ride in the end-of-list marker ({@code use_safe_inc_flist}). */
    public boolean useSafeFlist() {
        return safeFlist || protocol >= 31;
    }

    /**
     * Whether the uid list follows the entries ({@code rsync/uidlist.c:send_id_lists}); with incremental
     * recursion the names ride inline instead ({@code rsync/flist.c:recv_file_list} skips {@code recv_id_list}).
     */
    public boolean sendsUidList() {
        return (preserveUid || acls) && !numericIds && !incRecurse;
    }

    public boolean sendsGidList() {
        return (preserveGid || acls) && !numericIds && !incRecurse;
    }

    /** Whether a uid seen for the first time carries its name in the entry ({@code XMIT_USER_NAME_FOLLOWS}). */
    boolean sendsInlineUserNames() {
        return preserveUid && !numericIds && incRecurse;
    }

    boolean sendsInlineGroupNames() {
        return preserveGid && !numericIds && incRecurse;
    }

    /**
     * Whether an entry may carry an owner's name after its id ({@code rsync/flist.c:recv_file_entry} reads one
     * whenever the flag is set, protocol 30 on): a sender decides that, with or without incremental recursion.
     */
    boolean receivesInlineUserNames() {
        return preserveUid && protocol >= 30;
    }

    boolean receivesInlineGroupNames() {
        return preserveGid && protocol >= 30;
    }

    /** Whether an entry of this type carries a device number (pre-31 specials send a dummy one). */
    boolean sendsRdev(int mode) {
        return (preserveDevices && FileMode.isDevice(mode))
                || (preserveSpecials && FileMode.isSpecial(mode) && protocol < 31);
    }
}
