package dev.jrsync.delta.token;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The delta-stream compression algorithms ({@code rsync/compat.c:valid_compressions_items}), listed
 * in rsync's canonical preference order, with their wire names and compression-level rules.
 */
public enum CompressionType {
    ZSTD("zstd"),
    LZ4("lz4"),
    ZLIBX("zlibx"),
    ZLIB("zlib"),
    NONE("none");

    /** No {@code --compress-level} was given (rsync's {@code CLVL_NOT_SPECIFIED}). */
    public static final int LEVEL_NOT_SPECIFIED = Integer.MIN_VALUE;

    /** zlib's {@code Z_DEFAULT_COMPRESSION}, which rsync maps to its real default 6. */
    private static final int ZLIB_DEFAULT_MARKER = -1;

    private final String wireName;

    CompressionType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in negotiation lists and in {@code --compress-choice}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The name looked up case-insensitively, as {@code rsync/compat.c:get_nni_by_name} does; empty if
     * unknown. rsync has no aliases for compression names.
     */
    public static Optional<CompressionType> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (CompressionType t : values()) {
            if (t.wireName.equals(lower)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a {@code --compress-choice} / {@code --zc} value ({@code rsync/options.c} then
     * {@code compat.c:parse_compress_choice}). {@code "auto"} (any case) means "negotiate" and yields
     * empty; an unknown name is the caller's "unknown compress name" error (exit code 4).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Optional<CompressionType> parseChoice(String choice) {
        if (choice.equalsIgnoreCase("auto")) {
            return Optional.empty();
        }
        return Optional.of(byName(choice)
                .orElseThrow(() -> new IllegalArgumentException("unknown compress name: " + choice)));
    }

    /**
     * The list this side sends during negotiation ({@code rsync/compat.c:get_default_nno_list}):
     * canonical order, {@code none} only from the server.
     */
    public static String negotiationList(boolean server) {
        StringBuilder sb = new StringBuilder();
        for (CompressionType t : values()) {
            if (t == NONE && !server) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(t.wireName);
        }
        return sb.toString();
    }

    /** The known names of a received space-separated list, in order, unknown names and repeats skipped. */
    public static List<CompressionType> parseList(String list) {
        List<CompressionType> result = new ArrayList<>();
        for (String word : list.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            byName(word).filter(t -> !result.contains(t)).ifPresent(result::add);
        }
        return result;
    }

    /**
     * The negotiated algorithm: the first name of the client's list that the server also lists. With
     * lists in canonical order this equals both 3.2.7's rule and 3.5.0's "each side's own favourite
     * mutual name" ({@code rsync/compat.c:parse_negotiate_str}). Empty means "Failed to negotiate a
     * compress choice" (exit code 4).
     */
    public static Optional<CompressionType> negotiate(String clientList, String serverList) {
        List<CompressionType> server = parseList(serverList);
        return parseList(clientList).stream().filter(server::contains).findFirst();
    }

    /**
     * The algorithm used when names were not negotiated (peer older than 3.2.0 or without the
     * {@code v} capability): an explicit choice, else plain {@code -z} means {@code zlib}
     * ({@code rsync/compat.c:parse_compress_choice}).
     */
    public static CompressionType withoutNegotiation(Optional<CompressionType> explicitChoice) {
        return explicitChoice.orElse(ZLIB);
    }

    /**
     * Whether a requested {@code --compress-level} switches compression off altogether: level 0 for
     * zlib/zlibx ({@code rsync/token.c:init_compression_level}, the "off level").
     */
    public boolean levelDisablesCompression(int requested) {
        return (this == ZLIB || this == ZLIBX) && requested == 0;
    }

    /**
     * The level the sender really uses ({@code rsync/token.c:init_compression_level}): unspecified
     * means the default, out-of-range values are clamped silently. zlib/zlibx: 1..9, default 6 (also
     * for -1); zstd: the library's min..max, default 3 (also for 0); lz4 and none: always 0.
     */
    public int resolveLevel(int requested) {
        return switch (this) {
            case ZLIB, ZLIBX -> requested == LEVEL_NOT_SPECIFIED || requested == ZLIB_DEFAULT_MARKER
                    ? 6 : Math.clamp(requested, 1, 9);
            case ZSTD -> requested == LEVEL_NOT_SPECIFIED || requested == 0
                    ? Zstd.defaultCompressionLevel()
                    : Math.clamp(requested, Zstd.minCompressionLevel(), Zstd.maxCompressionLevel());
            case LZ4, NONE -> 0;
        };
    }
}
