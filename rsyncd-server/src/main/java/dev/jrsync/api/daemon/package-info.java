/**
 * An rsync daemon built from code: {@link dev.jrsync.api.daemon.ModuleSpec} and
 * {@link dev.jrsync.api.daemon.DaemonSpec} are rsyncd.conf's sections as values (or
 * {@link dev.jrsync.api.daemon.Daemon#fromConfig} reads the file), and a {@link dev.jrsync.api.daemon.Daemon}
 * listens on a socket or serves one session over a {@link dev.jrsync.api.Transport}.
 */
package dev.jrsync.api.daemon;
