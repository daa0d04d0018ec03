package dev.jrsync.api;

import java.time.Duration;

/**
 * How far one file being sent or received has got ({@code rsync/progress.c}): reported when it starts and when it
 * is done.
 *
 * @param name           the file, as rsync prints it ({@code %n})
 * @param bytes          bytes of it done so far: sent (literal data and matched blocks), or its size once received
 * @param size           its size
 * @param elapsed        time since its transfer started
 * @param done           whether it is finished (the counts below are then filled in)
 * @param transferNumber the files transferred so far, this one included ({@code xfr#}); 0 before done
 * @param remaining      file-list entries still to check ({@code to-chk}); 0 before done
 * @param listSize       entries in the file list so far
 * @param listsToCome    whether incremental recursion will still add entries ({@code ir-chk} instead of
 *                       {@code to-chk})
 */
public record FileProgress(String name, long bytes, long size, Duration elapsed, boolean done, int transferNumber,
                           int remaining, int listSize, boolean listsToCome) {}
