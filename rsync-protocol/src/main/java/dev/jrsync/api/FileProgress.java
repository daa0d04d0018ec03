package dev.jrsync.api;

import java.time.Duration;

/**
 * How far one file being sent or received has got ({@code rsync/progress.c}): reported when it starts and when it
 * is done.
 *
 * @param name    the file, as rsync prints it ({@code %n})
 * @param bytes   bytes of it done so far: sent (literal data and matched blocks), or its size once received
 * @param size    its size
 * @param elapsed time since its transfer started
 * @param done    whether it is finished
 */
public record FileProgress(String name, long bytes, long size, Duration elapsed, boolean done) {}
