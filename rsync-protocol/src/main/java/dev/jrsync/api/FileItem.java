package dev.jrsync.api;

/**
 * One file, directory or link the transfer looked at and reported ({@code rsync/log.c:log_item}).
 *
 * @param name        the path under the transfer's root, as rsync prints it ({@code %n}); a directory ends in "/"
 * @param changes     rsync's itemized change string ({@code %i}), such as {@code >f+++++++++} for a new file
 *                    sent or {@code .d..t......} for a directory whose time was set
 * @param transferred whether the file's data went over the wire (or was copied, locally)
 */
public record FileItem(String name, String changes, boolean transferred) {}
