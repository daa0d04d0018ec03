package dev.jrsync.options;

import dev.jrsync.core.LogFormat;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.wire.MaxAlloc;
import java.util.List;
import java.util.Map;

/**
 * Every option jrsync understands, as one immutable value holding what was asked for. Settings rsync derives from
 * others after parsing ({@code parse_arguments}' tail: {@code --backup-dir} implies {@code --backup},
 * {@code --append} implies {@code --inplace}, plain {@code --delete} becomes during/before, ...) are the methods
 * below, so options built by hand behave like parsed ones.
 *
 * <p>Built by {@link OptionParser} (a user's command line), {@link ServerArgs#parse} (the argument list a client
 * sends to a daemon) or an {@link OptionsBuilder}; a session that needs different options (the daemon applying a
 * module's limits, the mirror narrowing a batch) derives new ones through {@link #toBuilder}, so the user's stay
 * as given. Read by the client, the daemon and {@link ServerArgs#build}. Each component is documented on its
 * {@link OptionsBuilder} field.
 */
public record Options(
        // ---- output -------------------------------------------------------------------------------------
        int verbose,
        Integer infoSkip,
        Integer infoBackup,
        boolean heapStats,
        Map<String, Integer> debug,
        int quiet,
        boolean stats,
        int itemizeChanges,
        boolean progress,
        int humanReadable,
        boolean eightBitOutput,
        boolean help,
        int version,
        String outputFlagsHelp,
        boolean dryRun,
        boolean listOnly,
        boolean listOnlyImplied,
        // ---- what to transfer and preserve --------------------------------------------------------------
        boolean recursive,
        Boolean dirs,
        boolean links,
        boolean relative,
        boolean noImpliedDirs,
        boolean copyLinks,
        boolean copyDirlinks,
        boolean keepDirlinks,
        boolean safeLinks,
        boolean copyUnsafeLinks,
        boolean perms,
        boolean executability,
        boolean times,
        boolean group,
        boolean owner,
        boolean devices,
        boolean specials,
        boolean dropDevices,
        int hardLinks,
        int xattrs,
        boolean acls,
        boolean omitDirTimes,
        boolean omitLinkTimes,
        int atimes,
        boolean openNoatime,
        List<String> chmod,
        int oneFileSystem,
        boolean numericIds,
        boolean fakeSuper,
        Boolean superUser,
        String confineRoot,
        boolean insecureLinks,
        boolean mkpath,
        boolean pruneEmptyDirs,
        boolean cvsExclude,
        boolean incRecursive,
        // ---- which files to update -----------------------------------------------------------------------
        boolean checksum,
        boolean ignoreTimes,
        boolean sizeOnly,
        Integer modifyWindow,
        boolean update,
        boolean existing,
        boolean ignoreExisting,
        Long maxAlloc,
        String maxAllocArg,
        Long maxSize,
        Long minSize,
        // ---- delta transfer and compression --------------------------------------------------------------
        Boolean wholeFile,
        int blockSize,
        String checksumChoice,
        int checksumSeed,
        int fuzzy,
        int compress,
        String compressChoice,
        Integer compressLevel,
        int compressThreads,
        String skipCompress,
        // ---- deletion ------------------------------------------------------------------------------------
        boolean delete,
        DeleteMode deleteWhen,
        boolean deleteExcluded,
        Integer maxDelete,
        boolean force,
        boolean removeSourceFiles,
        // ---- receiving side ------------------------------------------------------------------------------
        AltDest altDest,
        List<String> basisDirs,
        boolean partial,
        String partialDir,
        boolean inplace,
        boolean preallocate,
        int appendMode,
        boolean backup,
        String backupDir,
        String suffix,
        boolean delayUpdates,
        String tempDir,
        boolean sparse,
        // ---- filters -------------------------------------------------------------------------------------
        List<String> filesFrom,
        String filesFromFile,
        boolean from0,
        int missingArgs,
        List<FilterArg> filters,
        int filterShortcuts,
        // ---- connection ----------------------------------------------------------------------------------
        int port,
        String address,
        String sockopts,
        String passwordFile,
        String rsh,
        String rsyncPath,
        List<String> remoteOptions,
        boolean trustSender,
        String earlyInput,
        String usermap,
        String groupmap,
        boolean secludedArgs,
        int oldArgs,
        int timeout,
        int contimeout,
        boolean tls,
        String tlsCa,
        String tlsCert,
        String tlsKey,
        boolean noMotd,
        Long stopAt,
        Integer protocol,
        int bwlimit,
        // ---- jrsync extensions and daemon mode -----------------------------------------------------------
        boolean watch,
        Integer watchDelayMs,
        Integer watchMaxDelayMs,
        List<String> watchTargets,
        String watchState,
        String metrics,
        String statusFile,
        String watchBackend,
        boolean daemon,
        boolean noDetach,
        String config,
        String logFile,
        String logFileFormat,
        BatchMode batch,
        // ---- set only when parsing a server argument list ------------------------------------------------
        boolean server,
        boolean sender,
        String clientInfo,
        String logFormat,
        List<String> args) {
    /** {@code --info=skip}'s level ({@code rsync/options.c:info_verbosity}: 1 from {@code -vv} on). */
    public int skipInfo() {
        return infoSkip != null ? infoSkip : verbose >= 2 ? 1 : 0;
    }

    /** {@code --info=backup}'s level (1 from {@code -vv} on): "backed up NAME to BACKUP" for each backup made. */
    public int backupInfo() {
        return infoBackup != null ? infoBackup : verbose >= 2 ? 1 : 0;
    }

    /**
     * The level of {@code --debug} word {@code name} (upper case): as given, else as {@code --debug=ALLn} gave
     * it, else what the {@code -v} count implies ({@code rsync/options.c:debug_verbosity}).
     */
    public int debugLevel(String name) {
        Integer given = debug.getOrDefault(name, debug.containsKey("NONE") ? Integer.valueOf(0) : debug.get("ALL"));
        return given != null ? given : OutputFlags.impliedDebug(name, verbose);
    }

    /**
     * The path of a {@code --files-from} list on the remote side ({@code host:path} or {@code :path}, rsync's
     * {@code check_for_hostspec}), or null when the list is local (or there is none).
     */
    public String remoteFilesFrom() {
        if (filesFromFile == null) {
            return null;
        }
        int colon = filesFromFile.indexOf(':');
        int slash = filesFromFile.indexOf('/');
        return colon >= 0 && (slash < 0 || colon < slash) ? filesFromFile.substring(colon + 1) : null;
    }

    /** {@code BACKUP_SUFFIX}: the backup suffix without {@code --backup-dir}. */
    public static final String DEFAULT_BACKUP_SUFFIX = "~";
    /** {@link #missingArgs}: a source the sender cannot find is left out ({@code --ignore-missing-args}). */
    public static final int IGNORE_MISSING = 1;
    /** {@link #missingArgs}: it is sent without a mode, for the receiver to delete ({@code --delete-missing-args}). */
    public static final int DELETE_MISSING = 2;
    /** The partial dir {@code --delay-updates} uses when none is given ({@code tmp_partialdir}). */
    public static final String DELAY_UPDATES_PARTIAL_DIR = ".~tmp~";

    /** Freezes the lists, so that no one holding these options sees them change. */
    public Options {
        debug = Map.copyOf(debug);
        chmod = List.copyOf(chmod);
        remoteOptions = List.copyOf(remoteOptions);
        basisDirs = List.copyOf(basisDirs);
        watchTargets = List.copyOf(watchTargets);
        filesFrom = filesFrom == null ? null : List.copyOf(filesFrom);
        filters = List.copyOf(filters);
        args = List.copyOf(args);
    }

    /** A builder holding these options, to derive another session's options from them. */
    public OptionsBuilder toBuilder() {
        OptionsBuilder b = new OptionsBuilder();
        b.verbose = verbose;
        b.infoSkip = infoSkip;
        b.infoBackup = infoBackup;
        b.heapStats = heapStats;
        b.debug.putAll(debug);
        b.quiet = quiet;
        b.stats = stats;
        b.itemizeChanges = itemizeChanges;
        b.progress = progress;
        b.humanReadable = humanReadable;
        b.eightBitOutput = eightBitOutput;
        b.help = help;
        b.version = version;
        b.outputFlagsHelp = outputFlagsHelp;
        b.dryRun = dryRun;
        b.listOnly = listOnly;
        b.listOnlyImplied = listOnlyImplied;
        b.recursive = recursive;
        b.dirs = dirs;
        b.links = links;
        b.relative = relative;
        b.noImpliedDirs = noImpliedDirs;
        b.copyLinks = copyLinks;
        b.copyDirlinks = copyDirlinks;
        b.keepDirlinks = keepDirlinks;
        b.safeLinks = safeLinks;
        b.copyUnsafeLinks = copyUnsafeLinks;
        b.perms = perms;
        b.executability = executability;
        b.times = times;
        b.group = group;
        b.owner = owner;
        b.devices = devices;
        b.specials = specials;
        b.dropDevices = dropDevices;
        b.hardLinks = hardLinks;
        b.xattrs = xattrs;
        b.acls = acls;
        b.omitDirTimes = omitDirTimes;
        b.omitLinkTimes = omitLinkTimes;
        b.atimes = atimes;
        b.openNoatime = openNoatime;
        b.chmod.addAll(chmod);
        b.remoteOptions.addAll(remoteOptions);
        b.oneFileSystem = oneFileSystem;
        b.numericIds = numericIds;
        b.fakeSuper = fakeSuper;
        b.superUser = superUser;
        b.confineRoot = confineRoot;
        b.insecureLinks = insecureLinks;
        b.mkpath = mkpath;
        b.pruneEmptyDirs = pruneEmptyDirs;
        b.cvsExclude = cvsExclude;
        b.incRecursive = incRecursive;
        b.checksum = checksum;
        b.ignoreTimes = ignoreTimes;
        b.sizeOnly = sizeOnly;
        b.modifyWindow = modifyWindow;
        b.update = update;
        b.existing = existing;
        b.ignoreExisting = ignoreExisting;
        b.maxAlloc = maxAlloc;
        b.maxAllocArg = maxAllocArg;
        b.maxSize = maxSize;
        b.minSize = minSize;
        b.wholeFile = wholeFile;
        b.blockSize = blockSize;
        b.checksumChoice = checksumChoice;
        b.checksumSeed = checksumSeed;
        b.fuzzy = fuzzy;
        b.compress = compress;
        b.compressChoice = compressChoice;
        b.compressLevel = compressLevel;
        b.compressThreads = compressThreads;
        b.skipCompress = skipCompress;
        b.delete = delete;
        b.deleteWhen = deleteWhen;
        b.deleteExcluded = deleteExcluded;
        b.maxDelete = maxDelete;
        b.force = force;
        b.removeSourceFiles = removeSourceFiles;
        b.altDest = altDest;
        b.basisDirs.addAll(basisDirs);
        b.partial = partial;
        b.partialDir = partialDir;
        b.inplace = inplace;
        b.preallocate = preallocate;
        b.appendMode = appendMode;
        b.backup = backup;
        b.backupDir = backupDir;
        b.suffix = suffix;
        b.delayUpdates = delayUpdates;
        b.tempDir = tempDir;
        b.sparse = sparse;
        b.filesFrom = filesFrom;
        b.filesFromFile = filesFromFile;
        b.from0 = from0;
        b.missingArgs = missingArgs;
        b.filters.addAll(filters);
        b.filterShortcuts = filterShortcuts;
        b.port = port;
        b.address = address;
        b.sockopts = sockopts;
        b.passwordFile = passwordFile;
        b.rsh = rsh;
        b.rsyncPath = rsyncPath;
        b.trustSender = trustSender;
        b.earlyInput = earlyInput;
        b.usermap = usermap;
        b.groupmap = groupmap;
        b.secludedArgs = secludedArgs;
        b.oldArgs = oldArgs;
        b.timeout = timeout;
        b.contimeout = contimeout;
        b.tls = tls;
        b.tlsCa = tlsCa;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.noMotd = noMotd;
        b.stopAt = stopAt;
        b.protocol = protocol;
        b.bwlimit = bwlimit;
        b.watch = watch;
        b.watchDelayMs = watchDelayMs;
        b.watchMaxDelayMs = watchMaxDelayMs;
        b.watchTargets.addAll(watchTargets);
        b.watchState = watchState;
        b.metrics = metrics;
        b.statusFile = statusFile;
        b.watchBackend = watchBackend;
        b.daemon = daemon;
        b.noDetach = noDetach;
        b.config = config;
        b.logFile = logFile;
        b.logFileFormat = logFileFormat;
        b.batch = batch;
        b.server = server;
        b.sender = sender;
        b.clientInfo = clientInfo;
        b.logFormat = logFormat;
        b.args.addAll(args);
        return b;
    }

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
        if (!incRecursive || !recursive || hardLinks > 0) {
            return false; // jrsync keeps a -H list whole, so that a link's group is known when it is generated
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
     * with {@code -d}, or for a listing or a {@code --files-from} unless {@code --no-d}.
     */
    public boolean transfersDirs() {
        return recursive || (dirs != null ? dirs : isListOnly() || filesFromFile != null);
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
    /**
     * rsync's stdout_format ({@code rsync/options.c}): {@code --out-format}, else {@code -i}'s "%i %n%L", else the
     * "%n%L" of {@code -v} or {@code --progress}; null when no item makes a line.
     */
    public String stdoutFormat() {
        if (logFormat != null) {
            return logFormat;
        }
        if (itemizeChanges > 0) {
            return "%i %n%L";
        }
        return verbose > 0 || progress ? "%n%L" : null;
    }

    /**
     * rsync's stdout_format_has_i: 0 when the format shows no {@code %i}; above 1 when unchanged items show too
     * ({@code -ii}, or a server told {@code %I}).
     */
    public int stdoutFormatHasI() {
        if (logFormat == null) {
            return itemizeChanges;
        }
        if (server && LogFormat.has(logFormat, 'I')) {
            return 2;
        }
        return LogFormat.has(logFormat, 'i') ? itemizeChanges | 1 : 0;
    }

    /**
     * rsync's log_before_transfer: an item's line is printed as its data starts, unless the format shows what
     * the data cost ({@code %b}, {@code %c}, {@code %C}), known only at its end.
     */
    public boolean logBeforeTransfer() {
        return logFormat == null || !(LogFormat.has(logFormat, 'b') || LogFormat.has(logFormat, 'c')
                || LogFormat.has(logFormat, 'C'));
    }

    /** {@code --log-file-format}, else rsync's "%i %n%L"; null without {@code --log-file}. */
    public String logFileFormatOrDefault() {
        return logFile == null ? null : logFileFormat != null ? logFileFormat : "%i %n%L";
    }

    /**
     * Whether making the destination directory is told ({@code rsync/main.c:get_local_name}): with names shown
     * ({@code -v}, {@code --progress}) or an itemizing format ({@code -i}, a server's {@code --log-format=%i}).
     */
    public boolean tellsCreatedDirectory() {
        return verbose > 0 || progress || itemizeChanges > 0 || logFormat != null && logFormat.contains("%i");
    }

    public int protocolVersion() {
        return protocol != null ? protocol : ServerArgs.PROTOCOL_VERSION;
    }
}
