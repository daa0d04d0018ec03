package dev.jrsync.options;

/**
 * What the receiver does with a file found unchanged in an alternate basis directory ({@code rsync/options.c}:
 * {@code alt_dest_type}): leave it out, copy it locally, or hard-link it. A file found changed there is a
 * basis for the delta with all three.
 */
public enum AltDest {
    /** {@code --compare-dest}: an unchanged file is not created in the destination. */
    COMPARE("--compare-dest"),
    /** {@code --copy-dest}: an unchanged file is copied from the basis directory. */
    COPY("--copy-dest"),
    /** {@code --link-dest}: an unchanged file is hard-linked to its copy in the basis directory. */
    LINK("--link-dest");

    /** rsync's MAX_BASIS_DIRS. */
    public static final int MAX_DIRS = 20;

    private final String option;

    AltDest(String option) {
        this.option = option;
    }

    /** The long option that asks for this type ({@code rsync/options.c:alt_dest_opt}). */
    public String option() {
        return option;
    }
}
