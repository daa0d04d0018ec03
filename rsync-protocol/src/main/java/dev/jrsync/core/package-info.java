/**
 * What every layer shares and depends on nothing else: rsync's exit codes and the exception that carries one,
 * names as bytes ({@link dev.jrsync.core.PathBytes}) and as rsync prints them ({@link dev.jrsync.core.Escaped}),
 * and where user-visible lines go ({@link dev.jrsync.core.SessionLog}).
 */
package dev.jrsync.core;
