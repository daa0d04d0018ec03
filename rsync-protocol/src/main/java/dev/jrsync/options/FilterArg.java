package dev.jrsync.options;

import java.util.Objects;

/**
 * One filter-related command-line option, kept raw and in command-line order; the filter engine turns
 * these into rules ({@code rsync/options.c:parse_arguments} hands each to {@code parse_filter_str} or
 * {@code parse_filter_file} in the order given).
 *
 * @param kind  which option supplied it
 * @param value the option's argument: a rule, a pattern or a file name; for {@link Kind#F} the rule
 *              rsync substitutes for that occurrence of {@code -F}
 */
public record FilterArg(Kind kind, String value) {
    public enum Kind {
        /** {@code --filter=RULE} / {@code -f RULE}: a full filter rule. */
        FILTER,
        /** {@code --exclude=PATTERN}: an exclude rule (old-style "+ "/"- " prefixes allowed). */
        EXCLUDE,
        /** {@code --include=PATTERN}: an include rule (old-style prefixes allowed). */
        INCLUDE,
        /** {@code --exclude-from=FILE}: exclude patterns read from FILE ("-" = stdin). */
        EXCLUDE_FROM,
        /** {@code --include-from=FILE}: include patterns read from FILE. */
        INCLUDE_FROM,
        /** {@code -F}: first {@code ": /.rsync-filter"}, second {@code "- .rsync-filter"}. */
        F
    }

    public FilterArg {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }
}
