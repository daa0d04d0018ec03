/**
 * jrsync as a library: {@link dev.jrsync.api.Rsync} runs a {@link dev.jrsync.api.TransferSpec} (a push to an
 * rsync daemon, a pull from one, or a local copy, with rsync's options as typed builder calls) and reports
 * each file, deletion and message to a {@link dev.jrsync.api.TransferListener} as it happens. The result is a
 * value, {@link dev.jrsync.api.TransferOutcome}; a running transfer is cancelled through its
 * {@link dev.jrsync.api.TransferHandle}. Listings are records: {@link dev.jrsync.api.Rsync#list} gives a
 * source's entries as {@link dev.jrsync.api.ListedFile}s and {@link dev.jrsync.api.Rsync#listModules} a daemon's
 * modules as {@link dev.jrsync.api.ModuleListing}s. The {@code jrsync} command's transfers take the same path.
 */
package dev.jrsync.api;
