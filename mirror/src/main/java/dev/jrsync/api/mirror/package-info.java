/**
 * A live mirror as a library: {@link dev.jrsync.api.mirror.Mirror#start} keeps a destination (a local folder or
 * an rsync daemon's module), or several from one watch, a copy of a local folder, as {@code jrsync --watch} does,
 * and returns a
 * {@link dev.jrsync.api.mirror.MirrorHandle} that reports its {@link dev.jrsync.api.mirror.MirrorStatus} and stops
 * it; a {@link dev.jrsync.api.mirror.MirrorListener} hears of each batch and failure as it happens.
 */
package dev.jrsync.api.mirror;
