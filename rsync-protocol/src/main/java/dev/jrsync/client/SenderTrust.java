package dev.jrsync.client;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.filter.FilterView;
import dev.jrsync.filter.ImpliedIncludes;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XmitFlags;
import dev.jrsync.options.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pulling client checks in the remote sender's file list before it writes anything (the
 * CVE-2022-29154 class): a hostile sender could otherwise add names next to the ones asked for
 * ({@code .ssh/authorized_keys} beside {@code only.txt}) or names the client's own rules exclude
 * ({@code .git/hooks/...} despite {@code --exclude=.git}). {@code --trust-sender} turns both checks off.
 */
// rsync/flist.c:recv_file_entry (its implied_filter_list and filter_list checks, and the implied-parent downgrade)
final class SenderTrust {
    /** The flags an honest sender gives a parent directory it sends without its contents. */
    private static final int IMPLIED_DIR = XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR;

    /** Null with --trust-sender or --old-args (rsync's trust_sender_args). */
    private final ImpliedIncludes requested;
    /** Null with --trust-sender, without rules, or with a per-directory merge rule (trust_sender_filter). */
    private final FilterView excludes;

    private SenderTrust(ImpliedIncludes requested, FilterView excludes) {
        this.requested = requested;
        this.excludes = excludes;
    }

    /** The checks for a pull of {@code remoteArgs} ("module/path" each) with {@code filters}. */
    static SenderTrust forPull(Options options, List<String> remoteArgs, Filters filters) {
        List<String> inModule = remoteArgs.stream().map(a -> a.indexOf('/') < 0 ? "" : a.substring(a.indexOf('/') + 1))
                .toList();
        return forShellPull(options, inModule, filters);
    }

    /** The checks for a pull of {@code remotePaths} from a remote shell's server, the paths as it is given them. */
    static SenderTrust forShellPull(Options options, List<String> remotePaths, Filters filters) {
        if (options.trustSender()) {
            return new SenderTrust(null, null);
        }
        if (options.oldArgs() > 0) {
            // rsync/options.c: the remote shell splits --old-args' names its own way, so they cannot be matched
            return new SenderTrust(null, filters.forSenderListCheck());
        }
        if (options.remoteFilesFrom() != null) {
            // rsync/options.c: names the client never saw cannot be checked against it (trust_sender_args)
            return new SenderTrust(null, filters.forSenderListCheck());
        }
        if (options.filesFrom() != null) {
            // rsync/io.c:forward_filesfrom_data asks for each name it forwards, and not for the source
            return new SenderTrust(ImpliedIncludes.forRelativeArgs(options.filesFrom(), options.recursive(),
                    options.transfersDirs()), filters.forSenderListCheck());
        }
        ImpliedIncludes requested = options.relative()
                ? ImpliedIncludes.forRelativeArgs(remotePaths, options.recursive(), options.transfersDirs())
                : ImpliedIncludes.forArgs(remotePaths, options.recursive(), options.transfersDirs());
        return new SenderTrust(requested, filters.forSenderListCheck());
    }

    /**
     * Checks the names in the order they arrived, the transfer root "." exempt; the first name the client's
     * rules exclude, or that no source argument asked for, ends the run with exit code 4 as in rsync. Returns
     * the list to use: a directory that was asked for only as a parent (the transfer root "." when no argument
     * asked for a directory's contents, or a {@code -R} path's implied directory) but that the sender flagged as a
     * directory with contents is made the bare parent it is, so {@code --delete} cannot sweep the destination
     * through it.
     */
    List<FileEntry> check(List<FileEntry> received) {
        List<FileEntry> list = received;
        for (int i = 0; i < received.size(); i++) {
            FileEntry e = received.get(i);
            byte[] name = e.name();
            boolean dir = e.isDirectory();
            if (!e.isRootDot()) {
                if (excludes != null && excludes.excluded(name, dir)) {
                    throw reject("excluded", name);
                }
                if (requested != null && !requested.requested(name, dir)) {
                    throw reject("unrequested", name);
                }
            }
            if (dir && requested != null && e.dirFlags() != IMPLIED_DIR && requested.parentOnly(name)) {
                list = list == received ? new ArrayList<>(received) : list;
                list.set(i, asImpliedDir(e));
            }
        }
        return list;
    }

    private static FileEntry asImpliedDir(FileEntry dir) {
        return FileEntry.builder(dir.name(), dir.mode()).size(dir.size()).mtime(dir.mtime(), dir.mtimeNsec())
                .owner(dir.uid(), dir.gid()).dirFlags(IMPLIED_DIR).build();
    }

    private static RsyncException reject(String why, byte[] name) {
        return new RsyncException(ExitCode.UNSUPPORTED,
                "ERROR: rejecting " + why + " file-list name: " + Escaped.of(name));
    }
}
