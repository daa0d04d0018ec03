package dev.jrsync.api;

/**
 * One module a daemon lists ({@code rsync/clientserver.c:send_listing}): those whose {@code list} parameter is
 * not {@code no}.
 *
 * @param name    the module's name, as a URL names it ({@code rsync://host/NAME/})
 * @param comment its {@code comment} parameter, empty when it has none
 */
public record ModuleListing(String name, String comment) {}
