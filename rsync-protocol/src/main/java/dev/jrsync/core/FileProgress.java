package dev.jrsync.core;

/**
 * How far one file's transfer has got ({@code rsync/progress.c:show_progress} and {@code end_progress}): reported
 * when the file starts and when it is done, whatever {@code --progress} says; the printing layer draws rsync's line.
 *
 * @param name           the file, as rsync prints it ({@code %n})
 * @param bytes          bytes of the file done so far
 * @param size           the file's size
 * @param elapsedNanos   time since the file's transfer started
 * @param done           whether the file is finished (the report then carries the counts below)
 * @param transferNumber the files transferred so far, this one included ({@code xfr#}); 0 before done
 * @param remaining      file-list entries still to check ({@code to-chk}); 0 before done
 * @param listSize       entries in the file list so far
 * @param listsToCome    whether incremental recursion will add more ({@code ir-chk} instead of {@code to-chk})
 */
public record FileProgress(String name, long bytes, long size, long elapsedNanos, boolean done, int transferNumber,
                           int remaining, int listSize, boolean listsToCome) {}
