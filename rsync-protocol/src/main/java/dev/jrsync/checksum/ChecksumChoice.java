package dev.jrsync.checksum;

import java.util.Locale;

/**
 * The checksums a session uses: {@code transfer} for block sums and the whole-file sum
 * ({@code xfer_sum_nni}), {@code file} for {@code --checksum} file-list sums ({@code file_sum_nni}).
 */
public record ChecksumChoice(ChecksumType transfer, ChecksumType file) {

    /** The same checksum for both jobs, as after a successful negotiation. */
    public static ChecksumChoice of(ChecksumType type) {
        return new ChecksumChoice(type, type);
    }

    /**
     * Parses a {@code --checksum-choice} value: "NAME" or "XFER,FILE"; "auto" means the protocol's
     * implicit checksum ({@code rsync/checksum.c:parse_checksum_choice}). Unknown names throw
     * {@link IllegalArgumentException} (rsync exits with code 4).
     */
    public static ChecksumChoice parse(String value, int protocol) {
        int comma = value.indexOf(',');
        if (comma < 0) {
            return of(parseName(value, protocol));
        }
        return new ChecksumChoice(parseName(value.substring(0, comma), protocol), parseName(value.substring(comma + 1), protocol));
    }

    // rsync/checksum.c:parse_csum_name
    private static ChecksumType parseName(String name, int protocol) {
        if (name.toLowerCase(Locale.ROOT).equals("auto")) {
            return ChecksumType.protocolDefault(protocol);
        }
        return ChecksumType.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown checksum name: " + name));
    }
}
