package dev.jrsync.checksum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The strong checksums rsync can use for block sums, the whole-file sum and {@code --checksum} file-list
 * sums ({@code rsync/checksum.c:valid_checksums_items}, {@code csum_len_for_type}).
 *
 * <p>{@link #MD4_OLD} is not a negotiable name: it is what protocols 27-29 use implicitly, and differs
 * from {@link #MD4} only in the whole-file sum, which hashes the seed before the file.
 */
public enum ChecksumType {
    XXH128("xxh128", 16),
    XXH3("xxh3", 8),
    XXH64("xxh64", 8),
    MD5("md5", 16),
    MD4("md4", 16),
    SHA1("sha1", 20),
    NONE("none", 1),
    MD4_OLD("md4", 16);

    /** Oldest protocol whose implicit checksum (fixed MD4, {@link #MD4_OLD}) is implemented. */
    public static final int MIN_PROTOCOL = 27;

    private static final List<ChecksumType> CLIENT_ORDER = List.of(XXH128, XXH3, XXH64, MD5, MD4, SHA1);

    private final String wireName;
    private final int digestLength;

    ChecksumType(String wireName, int digestLength) {
        this.wireName = wireName;
        this.digestLength = digestLength;
    }

    /** The name used in negotiation strings and {@code --checksum-choice}. */
    public String wireName() {
        return wireName;
    }

    /**
     * A digest as rsync shows it ({@code %C}; {@code rsync/util2.c:sum_as_hex}): the xxhash family as the number it
     * is (its bytes last to first), the others in byte order; null for the pre-30 MD4 and "none", which rsync does
     * not show.
     */
    public String canonicalHex(byte[] sum) {
        if (this == NONE || this == MD4_OLD) {
            return null;
        }
        boolean number = this == XXH128 || this == XXH3 || this == XXH64;
        StringBuilder sb = new StringBuilder(sum.length * 2);
        for (int i = 0; i < sum.length; i++) {
            int b = sum[number ? sum.length - 1 - i : i] & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** Bytes of a full digest ({@code xfer_sum_len}); also the whole-file checksum's length on the wire. */
    public int digestLength() {
        return digestLength;
    }

    /**
     * The name's checksum, or empty when unknown; case-insensitive, {@code xxhash} is an alias of xxh64
     * ({@code rsync/compat.c:get_nni_by_name}). Never returns {@link #MD4_OLD}.
     */
    public static Optional<ChecksumType> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("xxhash")) {
            return Optional.of(XXH64);
        }
        for (ChecksumType t : values()) {
            if (t != MD4_OLD && t.wireName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The checksum used when none is negotiated or chosen ({@code rsync/checksum.c:parse_csum_name} with
     * "auto"): MD5 from protocol 30 on, fixed MD4 with the old whole-file seed rule for 27-29.
     */
    public static ChecksumType protocolDefault(int protocol) {
        if (protocol >= 30) {
            return MD5;
        }
        if (protocol >= MIN_PROTOCOL) {
            return MD4_OLD;
        }
        throw new IllegalArgumentException("protocol " + protocol + " uses the pre-27 \"busted\" MD4, which is not supported");
    }

    /**
     * Our checksum list for the negotiation vstring, in the canonical preference order that makes 3.2.7's
     * and 3.5.0's choice rules agree ({@code rsync/compat.c:send_negotiate_str}); a server adds "none".
     */
    public static String defaultList(boolean server) {
        List<String> names = new ArrayList<>();
        for (ChecksumType t : CLIENT_ORDER) {
            names.add(t.wireName);
        }
        if (server) {
            names.add(NONE.wireName);
        }
        return String.join(" ", names);
    }

    /** Splits a negotiation list (space-separated names, as read from the peer's vstring). */
    public static List<String> splitList(String list) {
        List<String> names = new ArrayList<>();
        for (String s : list.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                names.add(s);
            }
        }
        return names;
    }

    /**
     * The first checksum in the client's list that the server also lists, compared by algorithm so that
     * aliases match ({@code rsync/compat.c:parse_negotiate_str}); names either side does not know are
     * skipped. Empty means "Failed to negotiate a checksum choice" (exit code 4).
     */
    public static Optional<ChecksumType> negotiate(List<String> clientList, List<String> serverList) {
        List<ChecksumType> server = new ArrayList<>();
        for (String name : serverList) {
            byName(name).ifPresent(server::add);
        }
        for (String name : clientList) {
            Optional<ChecksumType> t = byName(name);
            if (t.isPresent() && server.contains(t.get())) {
                return t;
            }
        }
        return Optional.empty();
    }
}
