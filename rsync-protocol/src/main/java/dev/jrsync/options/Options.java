package dev.jrsync.options;

import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.wire.MaxAlloc;
import java.util.ArrayList;
import java.util.List;

/**
 * Every option jrsync understands, as plain mutable fields holding what was asked for, with rsync's
 * defaults ({@code rsync/options.c} globals). Settings rsync derives from others after parsing
 * ({@code parse_arguments}' tail: {@code --backup-dir} implies {@code --backup}, {@code --append} implies
 * {@code --inplace}, plain {@code --delete} becomes during/before, ...) are the methods below, so an
 * instance filled in by hand behaves like a parsed one.
 *
 * <p>Filled by {@link OptionParser} (a user's command line) or {@link ServerArgs#parse} (the argument
 * list a client sends to a daemon); read by the client, the daemon and {@link ServerArgs#build}.
 */
public final class Options {
    /** {@code BACKUP_SUFFIX}: the backup suffix without {@code --backup-dir}. */
    public static final String DEFAULT_BACKUP_SUFFIX = "~";
    /** The partial dir {@code --delay-updates} uses when none is given ({@code tmp_partialdir}). */
    public static final String DELAY_UPDATES_PARTIAL_DIR = ".~tmp~";

    // ---- output -------------------------------------------------------------------------------------
    /** {@code -v} count. */
    public int verbose;
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
    /** {@code --help}, or {@code -h} as the only argument (or with {@code --daemon}). */
    public boolean help;
    /** {@code -V} / {@code --version}. */
    public boolean version;
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
    /** {@code -p}. */
    public boolean perms;
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
    /** {@code -O}. */
    public boolean omitDirTimes;
    /** {@code -J}. */
    public boolean omitLinkTimes;
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
    /** {@code --mkpath}. */
    public boolean mkpath;
    /** {@code -m}. */
    public boolean pruneEmptyDirs;
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
    /** {@code --password-file}. */
    public String passwordFile;
    /** {@code --trust-sender}: a pull takes the sender's file list without checking its names. */
    public boolean trustSender;
    /** {@code --timeout} in seconds; 0 = none. */
    public int timeout;
    /** {@code --contimeout} in seconds; 0 = none. */
    public int contimeout;
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
    /** {@code --daemon}. */
    public boolean daemon;
    /** {@code --no-detach}. */
    public boolean noDetach;
    /** {@code --config}; null = the default file. */
    public String config;
    /** {@code --log-file}. */
    public String logFile;

    // ---- set only when parsing a server argument list ------------------------------------------------
    /** {@code --server} was present. */
    public boolean server;
    /** {@code --sender}: the server is the sending side (a pull). */
    public boolean sender;
    /** The {@code -e} value the client sends: capability letters, e.g. ".LsfxCIvu" (rsync's client_info). */
    public String clientInfo;
    /** {@code --log-format}: what the client tells the server about its own itemizing/logging. */
    public String logFormat;
    /**
     * {@code RSYNC_CONNECT_PROG} from the environment: a shell command that reaches the daemon over its stdin and
     * stdout instead of a TCP connection ({@code %H} stands for the host); null for none.
     */
    public String connectProg;

    /** Non-option arguments: sources then destination; for a server, the paths after ".". */
    public final List<String> args = new ArrayList<>();

    /** Whether anything will be deleted on the receiver (rsync's {@code delete_mode}). */
    public boolean deleteMode() {
        return delete || deleteWhen != null || deleteExcluded;
    }

    /**
     * The deletion timing used in a session of {@code protocol}, or null when not deleting: plain
     * {@code --delete} means DURING from protocol 30 on, BEFORE earlier ({@code rsync/compat.c:setup_protocol}).
     */
    public DeleteMode deleteMode(int protocol) {
        if (deleteWhen != null) {
            return deleteWhen;
        }
        if (!deleteMode()) {
            return null;
        }
        return protocol < 30 ? DeleteMode.BEFORE : DeleteMode.DURING;
    }

    /**
     * Whether these options let a side in this role use incremental recursion
     * ({@code rsync/compat.c:set_allow_inc_recurse}): recursion is needed, and a receiver cannot delete
     * before or after the transfer, delay its updates or prune empty directories list by list.
     */
    public boolean allowIncRecurse(boolean amSender) {
        if (!incRecursive || !recursive) {
            return false;
        }
        return amSender || !(deleteWhen == DeleteMode.BEFORE || deleteWhen == DeleteMode.AFTER || delayUpdates
                || pruneEmptyDirs);
    }

    /** Whether a listing was asked for or implied. */
    public boolean isListOnly() {
        return listOnly || listOnlyImplied;
    }

    /**
     * Whether directories are transferred (rsync's {@code xfer_dirs} after parsing): with {@code -r},
     * with {@code -d}, or for a listing unless {@code --no-d}.
     */
    public boolean transfersDirs() {
        return recursive || (dirs != null ? dirs : isListOnly());
    }

    /** {@code -b}, also implied by {@code --backup-dir}. */
    public boolean makeBackups() {
        return backup || backupDir != null;
    }

    /** The suffix for backups: as given, else "" with {@code --backup-dir} and "~" without. */
    public String backupSuffix() {
        if (suffix != null) {
            return suffix;
        }
        return backupDir != null ? "" : DEFAULT_BACKUP_SUFFIX;
    }

    /** Whether files are updated in place: {@code --inplace}, also implied by {@code --append}. */
    public boolean inplaceMode() {
        return inplace || appendMode > 0;
    }

    /** The {@code --max-alloc} in force: the given one, else rsync's default. */
    public long effectiveMaxAlloc() {
        if (maxAlloc == null) {
            return MaxAlloc.DEFAULT_LIMIT;
        }
        return maxAlloc == 0 ? Long.MAX_VALUE : maxAlloc;
    }

    /** The partial dir in use: as given, else ".~tmp~" for {@code --delay-updates}; null if none. */
    public String effectivePartialDir() {
        if (inplaceMode()) {
            return null;
        }
        if (partialDir != null) {
            return partialDir;
        }
        return delayUpdates ? DELAY_UPDATES_PARTIAL_DIR : null;
    }

    /** Whether partial files are kept (rsync's {@code keep_partial}; {@code --inplace} clears it). */
    public boolean keepPartial() {
        return !inplaceMode() && (partial || effectivePartialDir() != null);
    }

    /**
     * {@code -W} / {@code --no-W} as in effect: a transfer checksum of "none" forces whole files
     * ({@code rsync/checksum.c:parse_checksum_choice}); null when left to the default.
     */
    public Boolean effectiveWholeFile() {
        String choice = effectiveChecksumChoice();
        if (choice != null) {
            int comma = choice.indexOf(',');
            if ((comma < 0 ? choice : choice.substring(0, comma)).equalsIgnoreCase("none")) {
                return Boolean.TRUE;
            }
        }
        return wholeFile;
    }

    /** The {@code --checksum-choice} to act on; null for none or "auto"/"auto,auto". */
    public String effectiveChecksumChoice() {
        if (checksumChoice == null || checksumChoice.equalsIgnoreCase("auto")
                || checksumChoice.equalsIgnoreCase("auto,auto")) {
            return null;
        }
        return checksumChoice;
    }

    /**
     * The algorithm named by {@code --compress-choice} (or implied by {@code -zz}: zlibx); null when
     * none was named or it was "auto" ({@code rsync/options.c:parse_arguments}).
     */
    public CompressionType explicitCompression() {
        if (compressChoice == null) {
            return compress > 1 ? CompressionType.ZLIBX : null;
        }
        if (compressChoice.equalsIgnoreCase("auto")) {
            return null;
        }
        return CompressionType.byName(compressChoice).orElse(null);
    }

    /**
     * rsync's {@code do_compression} as set by the options alone: the named algorithm, else zlibx for
     * {@code -zz}, zlib for {@code -z} (negotiable when both sides can), NONE without {@code -z}.
     */
    public CompressionType compression() {
        CompressionType named = explicitCompression();
        if (named != null) {
            return named;
        }
        return compress > 1 ? CompressionType.ZLIBX : compress == 1 ? CompressionType.ZLIB : CompressionType.NONE;
    }

    /** Whether compression is wanted at all; a level alone asks for it with the negotiated algorithm. */
    public boolean compressionRequested() {
        return compression() != CompressionType.NONE || compressLevel != null;
    }

    /** The {@code -y} level in effect: 2 (also search the basis directories) only with {@link #basisDirs}. */
    public int fuzzyLevel() {
        return Math.min(fuzzy, basisDirs.isEmpty() ? 1 : 2);
    }

    /** The protocol version to offer: {@code --protocol}, else the newest. */
    public int protocolVersion() {
        return protocol != null ? protocol : ServerArgs.PROTOCOL_VERSION;
    }
}
