package dev.jrsync.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Options} being filled in, as plain mutable fields starting at rsync's defaults ({@code rsync/options.c}
 * globals): by {@link OptionParser} from a command line, by {@link ServerArgs#parse} from a server argument list, or
 * from other options through {@link Options#toBuilder}. {@link #build} takes a frozen copy.
 */
public final class OptionsBuilder {
    // ---- output -------------------------------------------------------------------------------------
    /** {@code -v} count. */
    public int verbose;
    /** {@code --info=skip}'s level when given; null: what {@code -v} implies. */
    public Integer infoSkip;
    /** {@code --info=backup}'s level; null: from {@code -v}'s. */
    public Integer infoBackup;
    /** {@code --info=stats3}: each role's memory figures at its end ({@code rsync/main.c:show_malloc_stats}). */
    public boolean heapStats;
    /** {@code --debug} words with their levels, the last given of each winning. */
    public final Map<String, Integer> debug = new LinkedHashMap<>();
    /** {@code -q} count. */
    public int quiet;
    /** {@code --stats}. */
    public boolean stats;
    /** {@code -i} count ({@code -ii} also itemizes unchanged files). */
    public int itemizeChanges;
    /** {@code --progress} (also set by {@code -P}). */
    public boolean progress;
    /** rsync's {@code human_readable}: 1 by default, +1 per {@code -h}, 0 after {@code --no-h}. */
    public int humanReadable = 1;
    /** {@code -8}: name bytes above 0x7F print as they are, not as {@code \#ooo} escapes (rsync's {@code allow_8bit_chars}). */
    public boolean eightBitOutput;
    /** {@code --help}, or {@code -h} as the only argument (or with {@code --daemon}). */
    public boolean help;
    /** {@code -V} / {@code --version}. */
    /** {@code --info=help} or {@code --debug=help}: "info" or "debug", the list to print instead of running. */
    public String outputFlagsHelp;
    /** {@code -V}: once for the version text, twice for rsync's JSON capability list. */
    public int version;
    /** {@code -n} / {@code --dry-run}. */
    public boolean dryRun;
    /** {@code --list-only} given explicitly (it is then passed on to the server). */
    public boolean listOnly;
    /** A listing implied by a single source and no destination (rsync's {@code list_only |= 1}). */
    public boolean listOnlyImplied;
    // ---- what to transfer and preserve --------------------------------------------------------------
    /** {@code -r}. */
    public boolean recursive;
    /** {@code -d} / {@code --no-d}: null when neither was given (rsync's {@code xfer_dirs = -1}). */
    public Boolean dirs;
    /** {@code -l}. */
    public boolean links;
    /** {@code -R}: each source is sent by its whole path (from a "/./" in it, else all of it); null when not given. */
    public Boolean relative;
    /** {@code -r} itself, not only {@code -a}'s: with {@code --files-from} only this one recurses. */
    public boolean explicitRecursive;
    /**
     * {@code --files-from}: the file (or "-" for stdin) naming the paths to send; the client reads it when the
     * transfer starts ({@code client.FilesFromList}), into {@link #filesFrom}.
     */
    public String filesFromFile;
    /** {@code --from0}: the {@code --files-from} names end in NUL bytes, not newlines. */
    public boolean from0;
    /**
     * What a source the sender cannot find becomes ({@code rsync/options.c:missing_args}): 0 an error,
     * {@link Options#IGNORE_MISSING} nothing ({@code --ignore-missing-args}), {@link Options#DELETE_MISSING} an
     * entry without a mode that the receiver deletes ({@code --delete-missing-args}).
     */
    public int missingArgs;
    /** {@code --no-implied-dirs}: with -R, a source's parent directories are not sent. */
    public boolean noImpliedDirs;
    /** {@code -L}: the sender lists a symlink as what it points to. */
    public boolean copyLinks;
    /** {@code -k}: the sender lists a symlink to a directory as the directory. */
    public boolean copyDirlinks;
    /** {@code -K}: the receiver keeps a symlink to a directory where the sender has a directory. */
    public boolean keepDirlinks;
    /** {@code --safe-links}: the receiver ignores symlinks that lead out of the transfer. */
    public boolean safeLinks;
    /** {@code --copy-unsafe-links}: the sender lists a symlink that leads out of the transfer as its referent. */
    public boolean copyUnsafeLinks;
    /** {@code -p}. */
    public boolean perms;
    /** {@code -E}: without {@code -p}, a file's execute bits follow the sender's ({@code preserve_executability}). */
    public boolean executability;
    /** {@code -t}. */
    public boolean times;
    /** {@code -g}. */
    public boolean group;
    /** {@code -o}. */
    public boolean owner;
    /** {@code --devices} (half of {@code -D}). */
    public boolean devices;
    /** {@code --specials} (half of {@code -D}). */
    public boolean specials;
    /**
     * {@code --drop-D}: the receiver makes no device or special file, though the list still carries them as -D
     * says (rrsync gives it to the server it starts, so that a client cannot plant device nodes).
     */
    public boolean dropDevices;
    /** {@code -H}: hard links are kept (rsync's {@code preserve_hard_links}; a second -H is only passed on). */
    public int hardLinks;
    /** {@code -X}: extended attributes are kept (rsync's {@code preserve_xattrs}; -XX also copies rsync's own {@code rsync.%} names). */
    public int xattrs;
    /** {@code -A}: POSIX ACLs are kept (rsync's {@code preserve_acls}); implies {@code -p}. */
    public boolean acls;
    /** {@code -O}. */
    public boolean omitDirTimes;
    /** {@code -J}. */
    public boolean omitLinkTimes;
    /** {@code -U}: access times are kept (rsync's {@code preserve_atimes}); {@code -UU} also implies {@code --open-noatime}. */
    public int atimes;
    /** {@code --open-noatime}: the sender reads its files with {@code O_NOATIME}, leaving their access times as they were. */
    public boolean openNoatime;
    /** {@code --chmod} values in order (each may hold comma-separated items). */
    public final List<String> chmod = new ArrayList<>();
    /** {@code -x} count ({@code -xx} also skips mount-point directories). */
    public int oneFileSystem;
    /** {@code --numeric-ids}. */
    public boolean numericIds;
    /**
     * {@code --fake-super} (rsync's {@code am_root = -1}): this side keeps what only root could set in the
     * {@code user.rsync.%stat} attribute and reads it back. Never sent to the peer; a daemon takes it from the
     * module's {@code fake super} instead.
     */
    public boolean fakeSuper;
    /**
     * {@code --super} (true: the receiver attempts what only root may, as root would) and {@code --no-super}
     * (false: it does not, even as root); null: whatever the user is (rsync's {@code am_root}).
     */
    public Boolean superUser;
    /**
     * {@code --confine-root=DIR} (rsync 3.5, given by rrsync to the server it starts): the directories the options
     * name ({@code --temp-dir}, {@code --backup-dir}, the basis directories) must really lie below DIR.
     */
    public String confineRoot;
    /**
     * {@code --insecure-links}: the paths options name follow any symlink, as before rsync 3.5, not only root's
     * and this user's. Never sent: a daemon refuses it, a remote shell's server takes its own.
     */
    public boolean insecureLinks;
    /** {@code --mkpath}. */
    public boolean mkpath;
    /** {@code -m}. */
    public boolean pruneEmptyDirs;
    /** {@code -C}. */
    public boolean cvsExclude;
    /** {@code --inc-recursive} (the default) or {@code --no-inc-recursive}: rsync's {@code allow_inc_recurse}. */
    public boolean incRecursive = true;
    // ---- which files to update -----------------------------------------------------------------------
    /** {@code -c}. */
    public boolean checksum;
    /** {@code -I}. */
    public boolean ignoreTimes;
    /** {@code --size-only}. */
    public boolean sizeOnly;
    /** {@code --modify-window} / {@code -@}; null when not given. */
    public Integer modifyWindow;
    /** {@code -u}. */
    public boolean update;
    /** {@code --existing} / {@code --ignore-non-existing}. */
    public boolean existing;
    /** {@code --ignore-existing}. */
    public boolean ignoreExisting;
    /**
     * {@code --max-alloc} in bytes: the largest buffer a peer may make this side allocate; 0 for no limit
     * (as stock rsync 3.5.0 takes it); null when not given (rsync's 1 GiB then applies).
     */
    public Long maxAlloc;
    /** {@code --max-alloc} as the user wrote it: rsync passes the text on to the server. */
    public String maxAllocArg;
    /** {@code --max-size} in bytes; null when not given. */
    public Long maxSize;
    /** {@code --min-size} in bytes; null when not given. */
    public Long minSize;
    // ---- delta transfer and compression --------------------------------------------------------------
    /** {@code -W} (TRUE) / {@code --no-W} (FALSE); null when neither was given. */
    public Boolean wholeFile;
    /** {@code -B} in bytes; 0 = automatic. */
    public int blockSize;
    /** {@code --checksum-choice} / {@code --cc} as given ("NAME" or "XFER,FILE"); null when not given. */
    public String checksumChoice;
    /** {@code --checksum-seed}; 0 = the sender picks one. */
    public int checksumSeed;
    /** {@code -y} count. */
    public int fuzzy;
    /** {@code -z} count ({@code -zz} means zlibx). */
    public int compress;
    /** {@code --compress-choice} / {@code --zc} as given; null when not given. */
    public String compressChoice;
    /** {@code --compress-level} / {@code --zl}; null when not given. */
    public Integer compressLevel;
    /** {@code --compress-threads} / {@code --zt}: zstd's worker threads, 0 for none (its own thread). */
    public int compressThreads;
    /**
     * {@code --skip-compress}: the suffixes of files a compressing sender sends uncompressed. jrsync's own sender
     * does not skip by suffix, so it refuses the option when it would compress; a sending server is given it.
     */
    public String skipCompress;
    // ---- deletion ------------------------------------------------------------------------------------
    /** Plain {@code --delete}. */
    public boolean delete;
    /** {@code --delete-before/-during/-delay/-after} or {@code --del}; null when none was given. */
    public DeleteMode deleteWhen;
    /** {@code --delete-excluded} (implies deleting). */
    public boolean deleteExcluded;
    /** {@code --max-delete}; null when not given, negative values already turned into 0. */
    public Integer maxDelete;
    /** {@code --force}. */
    public boolean force;
    /** {@code --remove-source-files}. */
    public boolean removeSourceFiles;
    // ---- receiving side ------------------------------------------------------------------------------
    /** {@code --compare-dest}, {@code --copy-dest} or {@code --link-dest}; null when none was given. */
    public AltDest altDest;
    /**
     * The directories of {@link #altDest} in command-line order (at most {@link AltDest#MAX_DIRS}), as given:
     * relative ones are taken from the destination directory.
     */
    public final List<String> basisDirs = new ArrayList<>();
    /** {@code --partial} (also set by {@code -P}). */
    public boolean partial;
    /** {@code --partial-dir}; null when not given. */
    public String partialDir;
    /** {@code --inplace}. */
    public boolean inplace;
    /** {@code --preallocate}: each received file's blocks are reserved before its data is written. */
    public boolean preallocate;
    /** rsync's {@code append_mode}: 0, 1 = {@code --append}, 2 = {@code --append-verify}. */
    public int appendMode;
    /** {@code -b}. */
    public boolean backup;
    /** {@code --backup-dir}; null when not given. */
    public String backupDir;
    /** {@code --suffix}; null when not given (see {@link #backupSuffix()}). */
    public String suffix;
    /** {@code --delay-updates}. */
    public boolean delayUpdates;
    /** {@code -T} / {@code --temp-dir}; null when not given. */
    public String tempDir;
    /** {@code -S}. */
    public boolean sparse;
    // ---- filters -------------------------------------------------------------------------------------
    /**
     * The paths of {@code --files-from}, already read, relative to the single source directory (which
     * implies {@code -R} placement); null when not given. Set by callers such as {@code --watch}.
     */
    public List<String> filesFrom;
    /** Filter options in command-line order, raw. */
    public final List<FilterArg> filters = new ArrayList<>();
    /** {@code -F} count (only the first two add a rule). */
    public int filterShortcuts;
    // ---- connection ----------------------------------------------------------------------------------
    /** {@code --port}; 0 = the default (873). */
    public int port;
    /** {@code --address}: the local bind address (client socket, or the daemon's listener). */
    public String address;
    /** {@code --sockopts}: socket options for the connection to a daemon ({@code net.SocketOptions}); null = none. */
    public String sockopts;
    /** {@code --password-file}. */
    public String passwordFile;
    /** {@code -e}/{@code --rsh}: the remote-shell command for host:path; null = {@code RSYNC_RSH}, else ssh. */
    public String rsh;
    /** {@code --rsync-path}: the program the remote shell starts; null = "rsync". */
    public String rsyncPath;
    /** {@code -M}/{@code --remote-option}: arguments for the remote side alone, after its other options. */
    public final List<String> remoteOptions = new ArrayList<>();
    /** {@code --trust-sender}: a pull takes the sender's file list without checking its names. */
    public boolean trustSender;
    /** {@code --early-input}: a file whose bytes a daemon's {@code early exec} reads; null: none. */
    public String earlyInput;
    /** {@code --usermap} (or {@code --chown}'s user, as "*:USER"); null: none. */
    public String usermap;
    /** {@code --groupmap} (or {@code --chown}'s group, as "*:GROUP"); null: none. */
    public String groupmap;
    /** Whether {@link #usermap} and {@link #groupmap} came from {@code --chown}: rsync's conflict messages differ. */
    boolean usermapViaChown;
    boolean groupmapViaChown;
    /**
     * {@code -s}/{@code --secluded-args} (true), {@code --no-s} (false), or null when neither was given (rsync's
     * {@code protect_args = -1}, which {@code RSYNC_PROTECT_ARGS} settles on a client).
     */
    public Boolean secludedArgs;
    /** {@code --old-args}, counted (twice: no escaping at all); {@code RSYNC_OLD_ARGS} when not given. */
    public int oldArgs = -1;
    /** {@code --timeout} in seconds; 0 = none. */
    public int timeout;
    /** {@code --contimeout} in seconds; 0 = none. */
    public int contimeout;
    /** {@code --tls}, or a {@code rsyncs://} operand: daemon connections go over TLS, as rsync-ssl's do. */
    public boolean tls;
    /** {@code --tls-ca=FILE}: the certificates (PEM) a daemon's must chain to; null: the JDK's trusted ones. */
    public String tlsCa;
    /** {@code --tls-cert=FILE} with {@code --daemon}: the daemon's certificate chain (PEM); null: no TLS. */
    public String tlsCert;
    /** {@code --tls-key=FILE} with {@code --daemon}: the key of {@code --tls-cert} (PEM, PKCS#8). */
    public String tlsKey;
    /** {@code --no-motd}: a daemon's greeting lines (which a module listing shares) are not printed. */
    public boolean noMotd;
    /** {@code --stop-at}/{@code --stop-after}: when the run stops (seconds since the epoch); null for never. */
    public Long stopAt;
    /** {@code --protocol}; null = the newest (32). */
    public Integer protocol;
    /** {@code --bwlimit} in KiB per second as rsync keeps it ({@code (bytes + 512) / 1024}); 0 = none. */
    public int bwlimit;
    // ---- jrsync extensions and daemon mode -----------------------------------------------------------
    /** {@code --watch}: keep running and re-sync on local changes. */
    public boolean watch;
    /** {@code --watch-delay=MS}; null when not given. */
    public Integer watchDelayMs;
    /** {@code --watch-max-delay=MS}; null when not given. */
    public Integer watchMaxDelayMs;
    /** {@code --watch-target=DEST}, in the order given: destinations mirrored besides the last operand. */
    public final List<String> watchTargets = new ArrayList<>();
    /**
     * {@code --watch-state=DIR}: where the mirror keeps its tree index; empty for {@code --no-watch-state}; null
     * when not given.
     */
    public String watchState;
    /** {@code --metrics=ADDR:PORT}: where the mirror serves its metrics; null when not given. */
    public String metrics;
    /** {@code --status-file=FILE}: where the mirror keeps its one-line status; null when not given. */
    public String statusFile;
    /** {@code --watch-backend=inotify|fanotify|auto}; null when not given (inotify). */
    public String watchBackend;
    /** {@code --daemon}. */
    public boolean daemon;
    /** {@code --no-detach}. */
    public boolean noDetach;
    /** {@code --config}; null = the default file. */
    public String config;
    /** {@code --log-file}. */
    public String logFile;
    /** {@code --log-file-format}; null for rsync's "%i %n%L". */
    public String logFileFormat;
    /** {@code --write-batch}, {@code --only-write-batch} or {@code --read-batch}; null for none. */
    public BatchMode batch;
    // ---- set only when parsing a server argument list ------------------------------------------------
    /** {@code --server} was present. */
    public boolean server;
    /** {@code --sender}: the server is the sending side (a pull). */
    public boolean sender;
    /** The {@code -e} value the client sends: capability letters, e.g. ".LsfxCIvu" (rsync's client_info). */
    public String clientInfo;
    /**
     * {@code --out-format} (or its old name {@code --log-format}), rsync's stdout_format: a client's item lines,
     * or what a client tells its server about its own itemizing.
     */
    public String logFormat;
    /** Non-option arguments: sources then destination; for a server, the paths after ".". */
    public final List<String> args = new ArrayList<>();

    /** The options as filled in so far; the builder may go on changing without affecting them. */
    public Options build() {
        return new Options(
                verbose,
                infoSkip,
                infoBackup,
                heapStats,
                debug,
                quiet,
                stats,
                itemizeChanges,
                progress,
                humanReadable,
                eightBitOutput,
                help,
                version,
                outputFlagsHelp,
                dryRun,
                listOnly,
                listOnlyImplied,
                recursive,
                dirs,
                links,
                Boolean.TRUE.equals(relative),
                noImpliedDirs,
                copyLinks,
                copyDirlinks,
                keepDirlinks,
                safeLinks,
                copyUnsafeLinks,
                perms,
                executability,
                times,
                group,
                owner,
                devices,
                specials,
                dropDevices,
                hardLinks,
                xattrs,
                acls,
                omitDirTimes,
                omitLinkTimes,
                atimes,
                openNoatime,
                chmod,
                oneFileSystem,
                numericIds,
                fakeSuper,
                superUser,
                confineRoot,
                insecureLinks,
                mkpath,
                pruneEmptyDirs,
                cvsExclude,
                incRecursive,
                checksum,
                ignoreTimes,
                sizeOnly,
                modifyWindow,
                update,
                existing,
                ignoreExisting,
                maxAlloc,
                maxAllocArg,
                maxSize,
                minSize,
                wholeFile,
                blockSize,
                checksumChoice,
                checksumSeed,
                fuzzy,
                compress,
                compressChoice,
                compressLevel,
                compressThreads,
                skipCompress,
                delete,
                deleteWhen,
                deleteExcluded,
                maxDelete,
                force,
                removeSourceFiles,
                altDest,
                basisDirs,
                partial,
                partialDir,
                inplace,
                preallocate,
                appendMode,
                backup,
                backupDir,
                suffix,
                delayUpdates,
                tempDir,
                sparse,
                filesFrom,
                filesFromFile,
                from0,
                missingArgs,
                filters,
                filterShortcuts,
                port,
                address,
                sockopts,
                passwordFile,
                rsh,
                rsyncPath,
                remoteOptions,
                trustSender,
                earlyInput,
                usermap,
                groupmap,
                Boolean.TRUE.equals(secludedArgs),
                Math.max(oldArgs, 0),
                timeout,
                contimeout,
                tls,
                tlsCa,
                tlsCert,
                tlsKey,
                noMotd,
                stopAt,
                protocol,
                bwlimit,
                watch,
                watchDelayMs,
                watchMaxDelayMs,
                watchTargets,
                watchState,
                metrics,
                statusFile,
                watchBackend,
                daemon,
                noDetach,
                config,
                logFile,
                logFileFormat,
                batch,
                server,
                sender,
                clientInfo,
                logFormat,
                args);
    }
}
