package dev.jrsync.options;

/** The sections of {@code jrsync --help}, in the order they are shown. */
public enum OptionGroup {
    GENERAL("General"),
    ATTRIBUTES("What to transfer and preserve"),
    UPDATE("Which files to update"),
    DELTA("Delta transfer and compression"),
    DELETE("Deletion"),
    RECEIVER("Writing files on the receiver"),
    FILTER("Filtering"),
    CONNECTION("Connecting to a daemon"),
    WATCH("Watching (jrsync extension)"),
    DAEMON("Daemon mode"),
    INFO("Information"),
    /** Options only a client sends to a server; never shown. */
    SERVER("Server only");

    private final String title;

    OptionGroup(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
