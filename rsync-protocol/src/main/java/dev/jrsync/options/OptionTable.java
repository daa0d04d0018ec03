package dev.jrsync.options;

import static dev.jrsync.options.OptionGroup.ATTRIBUTES;
import static dev.jrsync.options.OptionGroup.CONNECTION;
import static dev.jrsync.options.OptionGroup.DAEMON;
import static dev.jrsync.options.OptionGroup.DELETE;
import static dev.jrsync.options.OptionGroup.DELTA;
import static dev.jrsync.options.OptionGroup.FILTER;
import static dev.jrsync.options.OptionGroup.GENERAL;
import static dev.jrsync.options.OptionGroup.INFO;
import static dev.jrsync.options.OptionGroup.RECEIVER;
import static dev.jrsync.options.OptionGroup.SERVER;
import static dev.jrsync.options.OptionGroup.UPDATE;
import static dev.jrsync.options.OptionGroup.WATCH;
import static dev.jrsync.options.OptionSpec.Scope.BOTH;
import static dev.jrsync.options.OptionSpec.Scope.CLIENT;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.core.ExitCode;
import dev.jrsync.options.OptionSpec.ArgType;
import dev.jrsync.options.OptionSpec.Scope;
import dev.jrsync.wire.MaxAlloc;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * The one table of options ({@code rsync/options.c:long_options}, restricted to what jrsync supports,
 * plus its own extensions). It drives {@link OptionParser}, {@link ServerArgs#parse} and {@link HelpText}.
 *
 * <p>Names are written as on a command line: {@code "--times -t"}, {@code "--partial-dir=DIR"},
 * {@code "--no-times --no-t"}; the first long name is the one help shows.
 */
public final class OptionTable {
    private OptionTable() {}

    private static final List<OptionSpec> SPECS = List.of(
            // ---- general
            flag(GENERAL, BOTH, "--verbose -v", "increase verbosity", o -> o.verbose++),
            flag(GENERAL, BOTH, "--no-verbose --no-v", null, o -> o.verbose = 0),
            flag(GENERAL, BOTH, "--quiet -q", "suppress non-error messages", o -> o.quiet++),
            flag(GENERAL, BOTH, "--dry-run -n", "perform a trial run with no changes made", o -> o.dryRun = true),
            flag(GENERAL, BOTH, "--list-only", "list the files instead of copying them", o -> o.listOnly = true),
            flag(GENERAL, BOTH, "--stats", "give some file-transfer stats", o -> o.stats = true),
            flag(GENERAL, CLIENT, "--itemize-changes -i", "output a change-summary for all updates",
                    o -> o.itemizeChanges++),
            flag(GENERAL, CLIENT, "--no-itemize-changes --no-i", null, o -> o.itemizeChanges = 0),
            flag(GENERAL, CLIENT, "--progress", "show progress during transfer", o -> o.progress = true),
            flag(GENERAL, CLIENT, "--no-progress", null, o -> o.progress = false),
            flag(GENERAL, CLIENT, "-P", "same as --partial --progress", o -> {
                o.partial = true;
                o.progress = true;
            }),
            flag(GENERAL, CLIENT, "--human-readable -h", "output numbers in a human-readable format",
                    o -> o.humanReadable++),
            flag(GENERAL, CLIENT, "--no-human-readable --no-h", null, o -> o.humanReadable = 0),
            flag(GENERAL, CLIENT, "--8-bit-output -8", "leave high-bit chars unescaped in output",
                    o -> o.eightBitOutput = true),
            flag(GENERAL, CLIENT, "--no-8-bit-output --no-8", null, o -> o.eightBitOutput = false),

            // ---- what to transfer and preserve
            flag(ATTRIBUTES, BOTH, "--archive -a", "archive mode is -rlptgoD", o -> {
                o.recursive = true;
                o.links = true;
                o.perms = true;
                o.times = true;
                o.group = true;
                o.owner = true;
                o.devices = true;
                o.specials = true;
            }),
            flag(ATTRIBUTES, BOTH, "--recursive -r", "recurse into directories", o -> {
                o.recursive = true;
                o.explicitRecursive = true;
            }),
            flag(ATTRIBUTES, BOTH, "--no-recursive --no-r", null, o -> {
                o.recursive = false;
                o.explicitRecursive = false;
            }),
            // rsync/options.c:allow_inc_recurse: on by default, off on request or where an option needs the whole list;
            // a server takes them too, as rsync's one option table does (a client need not send them: its capability
            // letters say the same)
            flag(ATTRIBUTES, BOTH, "--inc-recursive --i-r", "enable incremental recursion", o -> o.incRecursive = true),
            flag(ATTRIBUTES, BOTH, "--no-inc-recursive --no-i-r", "disable incremental recursion",
                    o -> o.incRecursive = false),
            flag(ATTRIBUTES, BOTH, "--dirs -d", "transfer directories without recursing", o -> o.dirs = true),
            flag(ATTRIBUTES, BOTH, "--no-dirs --no-d", null, o -> o.dirs = false),
            flag(ATTRIBUTES, BOTH, "--mkpath", "create destination's missing path components", o -> o.mkpath = true),
            flag(ATTRIBUTES, BOTH, "--no-mkpath", null, o -> o.mkpath = false),
            flag(ATTRIBUTES, BOTH, "--links -l", "copy symlinks as symlinks", o -> o.links = true),
            flag(ATTRIBUTES, BOTH, "--relative -R", "use relative path names", o -> o.relative = true),
            flag(ATTRIBUTES, BOTH, "--no-relative --no-R", null, o -> o.relative = false),
            flag(ATTRIBUTES, BOTH, "--no-implied-dirs --no-i-d", "don't send implied dirs with --relative",
                    o -> o.noImpliedDirs = true),
            flag(ATTRIBUTES, BOTH, "--implied-dirs --i-d", null, o -> o.noImpliedDirs = false),
            flag(ATTRIBUTES, BOTH, "--copy-links -L", "transform symlink into referent file/dir",
                    o -> o.copyLinks = true),
            flag(ATTRIBUTES, BOTH, "--copy-unsafe-links", "only \"unsafe\" symlinks are transformed",
                    o -> o.copyUnsafeLinks = true),
            flag(ATTRIBUTES, BOTH, "--safe-links", "ignore symlinks that point outside the tree",
                    o -> o.safeLinks = true),
            flag(ATTRIBUTES, BOTH, "--copy-dirlinks -k", "transform symlink to dir into referent dir",
                    o -> o.copyDirlinks = true),
            flag(ATTRIBUTES, BOTH, "--keep-dirlinks -K", "treat symlinked dir on receiver as dir",
                    o -> o.keepDirlinks = true),
            flag(ATTRIBUTES, BOTH, "--no-links --no-l", null, o -> o.links = false),
            flag(ATTRIBUTES, BOTH, "--hard-links -H", "preserve hard links", o -> o.hardLinks++),
            flag(ATTRIBUTES, BOTH, "--no-hard-links --no-H", null, o -> o.hardLinks = 0),
            flag(ATTRIBUTES, BOTH, "--xattrs -X", "preserve extended attributes", o -> o.xattrs++),
            flag(ATTRIBUTES, BOTH, "--no-xattrs --no-X", null, o -> o.xattrs = 0),
            flag(ATTRIBUTES, BOTH, "--acls -A", "preserve ACLs (implies --perms)", o -> {
                o.acls = true;
                o.perms = true;
            }),
            flag(ATTRIBUTES, BOTH, "--no-acls --no-A", null, o -> o.acls = false),
            flag(ATTRIBUTES, BOTH, "--perms -p", "preserve permissions", o -> o.perms = true),
            flag(ATTRIBUTES, BOTH, "--no-perms --no-p", null, o -> o.perms = false),
            flag(ATTRIBUTES, BOTH, "--executability -E", "preserve executability", o -> o.executability = true),
            text(ATTRIBUTES, CLIENT, "--chmod=CHMOD", "affect file and/or directory permissions",
                    (o, v) -> o.chmod.add(v)),
            flag(ATTRIBUTES, BOTH, "--owner -o", "preserve owner (super-user only)", o -> o.owner = true),
            flag(ATTRIBUTES, BOTH, "--no-owner --no-o", null, o -> o.owner = false),
            flag(ATTRIBUTES, BOTH, "--group -g", "preserve group", o -> o.group = true),
            flag(ATTRIBUTES, BOTH, "--no-group --no-g", null, o -> o.group = false),
            flag(ATTRIBUTES, BOTH, "--devices", "preserve device files (super-user only)", o -> o.devices = true),
            flag(ATTRIBUTES, BOTH, "--no-devices", null, o -> o.devices = false),
            flag(ATTRIBUTES, BOTH, "--specials", "preserve special files", o -> o.specials = true),
            flag(ATTRIBUTES, BOTH, "--no-specials", null, o -> o.specials = false),
            flag(ATTRIBUTES, BOTH, "--drop-D", "receiver refuses to create devices/specials", o -> o.dropDevices = true),
            flag(ATTRIBUTES, BOTH, "--no-drop-D", null, o -> o.dropDevices = false),
            flag(ATTRIBUTES, BOTH, "-D", "same as --devices --specials", o -> {
                o.devices = true;
                o.specials = true;
            }),
            flag(ATTRIBUTES, BOTH, "--no-D", null, o -> {
                o.devices = false;
                o.specials = false;
            }),
            flag(ATTRIBUTES, BOTH, "--times -t", "preserve modification times", o -> o.times = true),
            flag(ATTRIBUTES, BOTH, "--no-times --no-t", null, o -> o.times = false),
            flag(ATTRIBUTES, BOTH, "--omit-dir-times -O", "omit directories from --times", o -> o.omitDirTimes = true),
            flag(ATTRIBUTES, BOTH, "--no-omit-dir-times --no-O", null, o -> o.omitDirTimes = false),
            flag(ATTRIBUTES, BOTH, "--omit-link-times -J", "omit symlinks from --times", o -> o.omitLinkTimes = true),
            flag(ATTRIBUTES, BOTH, "--no-omit-link-times --no-J", null, o -> o.omitLinkTimes = false),
            // rsync/options.c: a second -U also opens the sender's files without touching their atimes
            flag(ATTRIBUTES, BOTH, "--atimes -U", "preserve access (use) times", o -> {
                if (++o.atimes > 1) {
                    o.openNoatime = true;
                }
            }),
            flag(ATTRIBUTES, BOTH, "--no-atimes --no-U", null, o -> o.atimes = 0),
            flag(ATTRIBUTES, BOTH, "--open-noatime", "avoid changing the atime on opened files",
                    o -> o.openNoatime = true),
            flag(ATTRIBUTES, BOTH, "--no-open-noatime", null, o -> o.openNoatime = false),
            flag(ATTRIBUTES, BOTH, "--one-file-system -x", "don't cross filesystem boundaries",
                    o -> o.oneFileSystem++),
            flag(ATTRIBUTES, BOTH, "--no-one-file-system --no-x", null, o -> o.oneFileSystem = 0),
            flag(ATTRIBUTES, BOTH, "--numeric-ids", "don't map uid/gid values by user/group name",
                    o -> o.numericIds = true),
            flag(ATTRIBUTES, BOTH, "--no-numeric-ids", null, o -> o.numericIds = false),
            flag(RECEIVER, BOTH, "--insecure-links", "follow option paths' symlinks whoever owns them",
                    o -> o.insecureLinks = true),
            flag(RECEIVER, BOTH, "--no-insecure-links", null, o -> o.insecureLinks = false),
            text(RECEIVER, BOTH, "--confine-root=DIR", "refuse operator paths resolving outside DIR", (o, v) -> {
                if (!v.startsWith("/")) {
                    throw OptionException.syntax("--confine-root must be an absolute path");
                }
                o.confineRoot = v;
            }),
            flag(ATTRIBUTES, BOTH, "--super", "receiver attempts super-user activities", o -> o.superUser = true),
            flag(ATTRIBUTES, BOTH, "--no-super", null, o -> o.superUser = false),
            flag(ATTRIBUTES, BOTH, "--fake-super", "store/recover privileged attrs using xattrs",
                    o -> o.fakeSuper = true),
            flag(ATTRIBUTES, BOTH, "--prune-empty-dirs -m", "prune empty directory chains from file-list",
                    o -> o.pruneEmptyDirs = true),
            flag(ATTRIBUTES, BOTH, "--no-prune-empty-dirs --no-m", null, o -> o.pruneEmptyDirs = false),

            // ---- which files to update
            flag(UPDATE, BOTH, "--checksum -c", "skip based on checksum, not mod-time & size", o -> o.checksum = true),
            flag(UPDATE, BOTH, "--no-checksum --no-c", null, o -> o.checksum = false),
            flag(UPDATE, BOTH, "--ignore-times -I", "don't skip files that match size and time",
                    o -> o.ignoreTimes = true),
            flag(UPDATE, BOTH, "--size-only", "skip files that match in size", o -> o.sizeOnly = true),
            number(UPDATE, BOTH, "--modify-window=NUM -@", "set the accuracy for mod-time comparisons",
                    (o, n) -> o.modifyWindow = n),
            flag(UPDATE, BOTH, "--update -u", "skip files that are newer on the receiver", o -> o.update = true),
            flag(UPDATE, BOTH, "--existing", "skip creating new files on receiver", o -> o.existing = true),
            flag(UPDATE, BOTH, "--ignore-non-existing", "skip creating new files on receiver", o -> o.existing = true),
            flag(UPDATE, BOTH, "--ignore-existing", "skip updating files that exist on receiver",
                    o -> o.ignoreExisting = true),
            text(UPDATE, BOTH, "--max-size=SIZE", "don't transfer any file larger than SIZE",
                    (o, v) -> o.maxSize = SizeArg.parse(v, 'b', "max-size", 0, -1, false)),
            text(UPDATE, BOTH, "--min-size=SIZE", "don't transfer any file smaller than SIZE",
                    (o, v) -> o.minSize = SizeArg.parse(v, 'b', "min-size", 0, -1, false)),
            text(UPDATE, BOTH, "--max-alloc=SIZE", "change a limit relating to memory alloc",
                    (o, v) -> {
                        o.maxAlloc = SizeArg.parse(v, 'b', "max-alloc", MaxAlloc.MIN_LIMIT, -1, true);
                        if (o.maxAlloc == 0) {
                            throw OptionException.syntax("max-alloc must be greater than zero"); // not "no limit"
                        }
                        o.maxAllocArg = v;
                    }),

            // ---- delta transfer and compression
            flag(DELTA, BOTH, "--whole-file -W", "copy files whole (w/o delta-xfer algorithm)",
                    o -> o.wholeFile = Boolean.TRUE),
            flag(DELTA, BOTH, "--no-whole-file --no-W", "use the delta-xfer algorithm", o -> o.wholeFile = Boolean.FALSE),
            text(DELTA, BOTH, "--block-size=SIZE -B", "force a fixed checksum block-size",
                    (o, v) -> o.blockSize = (int) SizeArg.parse(v, 'b', "block-size", 0,
                            BlockSizing.maxBlockLength(o.build().protocolVersion()), false)),
            text(DELTA, BOTH, "--checksum-choice=STR --cc", "choose the checksum algorithm",
                    (o, v) -> o.checksumChoice = v),
            number(DELTA, BOTH, "--checksum-seed=NUM", "set block/file checksum seed (advanced)",
                    (o, n) -> o.checksumSeed = n),
            flag(DELTA, BOTH, "--fuzzy -y", "find similar file for basis if no dest file", o -> o.fuzzy++),
            flag(DELTA, BOTH, "--no-fuzzy --no-y", null, o -> o.fuzzy = 0),
            flag(DELTA, BOTH, "--compress -z", "compress file data during the transfer", o -> o.compress++),
            flag(DELTA, BOTH, "--no-compress --no-z", null, o -> {
                o.compress = 0;
                o.compressChoice = null;
            }),
            text(DELTA, BOTH, "--compress-choice=STR --zc", "choose the compression algorithm",
                    (o, v) -> o.compressChoice = v),
            number(DELTA, BOTH, "--compress-level=NUM --zl", "explicitly set compression level",
                    (o, n) -> o.compressLevel = n),
            number(DELTA, BOTH, "--compress-threads=NUM --zt", "explicitly set compression threads",
                    (o, n) -> o.compressThreads = Math.max(n, 0)),
            text(DELTA, BOTH, "--skip-compress=LIST", "skip compressing files with suffix in LIST",
                    (o, v) -> o.skipCompress = v),

            // ---- deletion
            flag(DELETE, BOTH, "--del", "an alias for --delete-during", o -> deleteWhen(o, DeleteMode.DURING)),
            flag(DELETE, BOTH, "--delete", "delete extraneous files from dest directories", o -> o.delete = true),
            flag(DELETE, BOTH, "--delete-before", "receiver deletes before xfer, not during",
                    o -> deleteWhen(o, DeleteMode.BEFORE)),
            flag(DELETE, BOTH, "--delete-during", "receiver deletes during the transfer",
                    o -> deleteWhen(o, DeleteMode.DURING)),
            flag(DELETE, BOTH, "--delete-delay", "find deletions during, delete after",
                    o -> deleteWhen(o, DeleteMode.DELAY)),
            flag(DELETE, BOTH, "--delete-after", "receiver deletes after transfer, not during",
                    o -> deleteWhen(o, DeleteMode.AFTER)),
            // both given: delete (rsync's bits 1|2 simplified to 2)
            flag(DELETE, BOTH, "--delete-missing-args", "delete missing source args from destination",
                    o -> o.missingArgs = Options.DELETE_MISSING),
            flag(DELETE, BOTH, "--ignore-missing-args", "ignore missing source args without error",
                    o -> o.missingArgs = Math.max(o.missingArgs, Options.IGNORE_MISSING)),
            flag(DELETE, BOTH, "--delete-excluded", "also delete excluded files from dest directories",
                    o -> o.deleteExcluded = true),
            number(DELETE, BOTH, "--max-delete=NUM", "don't delete more than NUM files", OptionTable::maxDelete),
            flag(DELETE, BOTH, "--force", "force deletion of directories even if not empty", o -> o.force = true),
            flag(DELETE, BOTH, "--no-force", null, o -> o.force = false),
            flag(DELETE, BOTH, "--remove-source-files --remove-sent-files",
                    "sender removes synchronized files (non-directory)", o -> o.removeSourceFiles = true),

            // ---- writing files on the receiver
            flag(RECEIVER, BOTH, "--partial", "keep partially transferred files", o -> o.partial = true),
            flag(RECEIVER, BOTH, "--no-partial", null, o -> o.partial = false),
            text(RECEIVER, BOTH, "--partial-dir=DIR", "put a partially transferred file into DIR",
                    (o, v) -> o.partialDir = v),
            flag(RECEIVER, BOTH, "--delay-updates", "put all updated files into place at end",
                    o -> o.delayUpdates = true),
            flag(RECEIVER, BOTH, "--no-delay-updates", null, o -> o.delayUpdates = false),
            flag(RECEIVER, BOTH, "--inplace", "update destination files in-place", o -> o.inplace = true),
            flag(RECEIVER, BOTH, "--preallocate", "allocate dest files before writing them", o -> o.preallocate = true),
            flag(RECEIVER, BOTH, "--no-preallocate", null, o -> o.preallocate = false),
            flag(RECEIVER, BOTH, "--no-inplace", null, o -> o.inplace = false),
            // A server counts --append: a client sends it twice for --append-verify.
            flag(RECEIVER, BOTH, "--append", "append data onto shorter files",
                    o -> o.appendMode = o.server ? Math.min(o.appendMode + 1, 2) : 1),
            flag(RECEIVER, BOTH, "--append-verify", "--append w/old data in file checksum", o -> o.appendMode = 2),
            flag(RECEIVER, BOTH, "--no-append", null, o -> o.appendMode = 0),
            flag(RECEIVER, BOTH, "--backup -b", "make backups (see --suffix & --backup-dir)", o -> o.backup = true),
            flag(RECEIVER, BOTH, "--no-backup", null, o -> o.backup = false),
            text(RECEIVER, BOTH, "--backup-dir=DIR", "make backups into hierarchy based in DIR",
                    (o, v) -> o.backupDir = v),
            text(RECEIVER, BOTH, "--suffix=SUFFIX", "backup suffix (default ~ w/o --backup-dir)",
                    (o, v) -> o.suffix = v),
            text(RECEIVER, BOTH, "--compare-dest=DIR", "also compare destination files relative to DIR",
                    (o, v) -> basisDir(o, AltDest.COMPARE, v)),
            text(RECEIVER, BOTH, "--copy-dest=DIR", "... and include copies of unchanged files",
                    (o, v) -> basisDir(o, AltDest.COPY, v)),
            text(RECEIVER, BOTH, "--link-dest=DIR", "hardlink to files in DIR when unchanged",
                    (o, v) -> basisDir(o, AltDest.LINK, v)),
            text(RECEIVER, BOTH, "--temp-dir=DIR -T", "create temporary files in directory DIR",
                    (o, v) -> o.tempDir = v),
            flag(RECEIVER, BOTH, "--sparse -S", "turn sequences of nulls into sparse blocks", o -> o.sparse = true),
            flag(RECEIVER, BOTH, "--no-sparse --no-S", null, o -> o.sparse = false),

            // ---- filtering
            flag(FILTER, BOTH, "--cvs-exclude -C", "auto-ignore files in the same way CVS does",
                    o -> o.cvsExclude = true),
            // a server takes rules in its arguments too (a client's -M), before the list it receives
            text(FILTER, BOTH, "--filter=RULE -f", "add a file-filtering RULE",
                    (o, v) -> o.filters.add(new FilterArg(FilterArg.Kind.FILTER, v))),
            flag(FILTER, CLIENT, "-F", "same as --filter='dir-merge /.rsync-filter'\n"
                    + "repeated: --filter='- .rsync-filter'", OptionTable::filterShortcut),
            text(FILTER, BOTH, "--files-from=FILE", "read list of source-file names from FILE",
                    (o, v) -> o.filesFromFile = v),
            flag(FILTER, BOTH, "--from0 -0", "all *-from/filter files are delimited by 0s", o -> o.from0 = true),
            flag(FILTER, BOTH, "--no-from0", null, o -> o.from0 = false),
            text(FILTER, BOTH, "--exclude=PATTERN", "exclude files matching PATTERN",
                    (o, v) -> o.filters.add(new FilterArg(FilterArg.Kind.EXCLUDE, v))),
            text(FILTER, CLIENT, "--exclude-from=FILE", "read exclude patterns from FILE",
                    (o, v) -> o.filters.add(new FilterArg(FilterArg.Kind.EXCLUDE_FROM, v))),
            text(FILTER, BOTH, "--include=PATTERN", "don't exclude files matching PATTERN",
                    (o, v) -> o.filters.add(new FilterArg(FilterArg.Kind.INCLUDE, v))),
            text(FILTER, CLIENT, "--include-from=FILE", "read include patterns from FILE",
                    (o, v) -> o.filters.add(new FilterArg(FilterArg.Kind.INCLUDE_FROM, v))),

            // ---- connecting to a daemon
            text(CONNECTION, CLIENT, "--rsh=COMMAND -e", "specify the remote shell to use", (o, v) -> o.rsh = v),
            text(CONNECTION, CLIENT, "--remote-option=OPT -M", "send OPTION to the remote side only", (o, v) -> {
                if (!v.startsWith("-")) {
                    throw OptionException.syntax("Remote option must start with a dash: " + v);
                }
                o.remoteOptions.add(v);
            }),
            text(CONNECTION, CLIENT, "--rsync-path=PROGRAM", "specify the rsync to run on remote machine",
                    (o, v) -> o.rsyncPath = v),
            // rsync uses blocking I/O to a remote shell anyway; the switches only choose what rsync did already
            flag(CONNECTION, CLIENT, "--blocking-io", "use blocking I/O for the remote shell", o -> { }),
            flag(CONNECTION, CLIENT, "--no-blocking-io", null, o -> { }),
            flag(CONNECTION, BOTH, "--secluded-args --protect-args -s", "use the protocol to safely send the args",
                    o -> o.secludedArgs = true),
            flag(CONNECTION, BOTH, "--no-secluded-args --no-protect-args --no-s", null, o -> o.secludedArgs = false),
            flag(CONNECTION, CLIENT, "--old-args", "disable the modern arg-protection idiom",
                    o -> o.oldArgs = Math.max(o.oldArgs, 0) + 1),
            flag(CONNECTION, CLIENT, "--no-old-args", null, o -> o.oldArgs = 0),
            text(ATTRIBUTES, BOTH, "--usermap=STRING", "custom username mapping", (o, v) -> ownerMap(o, true, v, false)),
            text(ATTRIBUTES, BOTH, "--groupmap=STRING", "custom groupname mapping", (o, v) -> ownerMap(o, false, v, false)),
            text(ATTRIBUTES, CLIENT, "--chown=USER:GROUP", "simple username/groupname mapping", OptionTable::chown),
            text(CONNECTION, CLIENT, "--early-input=FILE", "use FILE for daemon's early exec input",
                    (o, v) -> o.earlyInput = v),
            flag(CONNECTION, CLIENT, "--trust-sender", "trust the remote sender's file list",
                    o -> o.trustSender = true),
            number(CONNECTION, CLIENT, "--port=PORT", "daemon port to connect to (with --daemon: to listen on)",
                    (o, n) -> o.port = n),
            text(CONNECTION, CLIENT, "--address=ADDRESS", "local address to bind (with --daemon: to listen on)",
                    (o, v) -> o.address = v),
            text(CONNECTION, CLIENT, "--sockopts=OPTIONS", "specify custom TCP options", (o, v) -> o.sockopts = v),
            text(CONNECTION, CLIENT, "--password-file=FILE", "read daemon-access password from FILE",
                    (o, v) -> o.passwordFile = v),
            number(CONNECTION, BOTH, "--timeout=SECONDS", "set I/O timeout in seconds", (o, n) -> o.timeout = n),
            flag(CONNECTION, BOTH, "--no-timeout", null, o -> o.timeout = 0),
            number(CONNECTION, CLIENT, "--contimeout=SECONDS", "set daemon connection timeout in seconds",
                    (o, n) -> o.contimeout = n),
            flag(CONNECTION, CLIENT, "--no-contimeout", null, o -> o.contimeout = 0),
            flag(CONNECTION, CLIENT, "--tls", "talk to daemons over TLS (as rsync-ssl; rsyncs:// does too)",
                    o -> o.tls = true),
            text(CONNECTION, CLIENT, "--tls-ca=FILE", "trust daemon certificates that chain to FILE's (PEM)",
                    (o, v) -> o.tlsCa = v),
            flag(CONNECTION, CLIENT, "--no-motd", "suppress daemon-mode MOTD", o -> o.noMotd = true),
            flag(CONNECTION, CLIENT, "--motd", null, o -> o.noMotd = false),
            text(CONNECTION, CLIENT, "--stop-after=MINS", "Stop rsync after MINS minutes have elapsed",
                    (o, v) -> o.stopAt = StopTime.after(v, System.currentTimeMillis() / 1000)),
            text(CONNECTION, CLIENT, "--time-limit=MINS", null,
                    (o, v) -> o.stopAt = StopTime.after(v, System.currentTimeMillis() / 1000)),
            text(CONNECTION, CLIENT, "--stop-at=y-m-dTh:m", "Stop rsync at the specified point in time",
                    (o, v) -> o.stopAt = StopTime.at(v, ZonedDateTime.now())),
            text(CONNECTION, BOTH, "--bwlimit=RATE", "limit socket I/O bandwidth", OptionTable::bwlimit),
            flag(CONNECTION, BOTH, "--no-bwlimit", null, o -> o.bwlimit = 0),
            number(CONNECTION, CLIENT, "--protocol=NUM", "force an older protocol version to be used",
                    (o, n) -> o.protocol = n),

            // ---- watching
            flag(WATCH, CLIENT, "--watch", "keep running and re-sync when a source changes", o -> o.watch = true),
            number(WATCH, CLIENT, "--watch-delay=MS", "re-sync once no change came for MS milliseconds",
                    (o, n) -> o.watchDelayMs = milliseconds("watch-delay", n)),
            number(WATCH, CLIENT, "--watch-max-delay=MS", "re-sync at most MS milliseconds after a change",
                    (o, n) -> o.watchMaxDelayMs = milliseconds("watch-max-delay", n)),
            text(WATCH, CLIENT, "--watch-target=DEST", "also mirror to DEST (repeatable), from the same watch",
                    (o, t) -> o.watchTargets.add(t)),
            text(WATCH, CLIENT, "--watch-state=DIR", "keep the tree index in DIR, to restart without a full sync",
                    (o, v) -> o.watchState = v),
            flag(WATCH, CLIENT, "--no-watch-state", "keep no tree index: each start syncs the whole tree",
                    o -> o.watchState = ""),
            text(WATCH, CLIENT, "--metrics=ADDR:PORT", "serve the mirror's metrics over HTTP at ADDR:PORT/metrics",
                    (o, v) -> o.metrics = hostAndPort("metrics", v)),
            text(WATCH, CLIENT, "--status-file=FILE", "keep the mirror's one-line status in FILE",
                    (o, v) -> o.statusFile = v),
            text(WATCH, CLIENT, "--watch-backend=KIND", "watch with inotify (default), fanotify or auto",
                    (o, v) -> o.watchBackend = watchBackend(v)),

            // ---- daemon mode
            flag(DAEMON, CLIENT, "--daemon", "run as an rsync daemon", o -> o.daemon = true),
            text(DAEMON, CLIENT, "--config=FILE", "specify alternate rsyncd.conf file (with --daemon)",
                    (o, v) -> o.config = v),
            text(DAEMON, CLIENT, "--tls-cert=FILE", "serve TLS with this certificate chain (PEM; with --daemon)",
                    (o, v) -> o.tlsCert = v),
            text(DAEMON, CLIENT, "--tls-key=FILE", "the private key of --tls-cert (PEM, PKCS#8)",
                    (o, v) -> o.tlsKey = v),
            flag(DAEMON, CLIENT, "--no-detach", "do not detach from the parent (with --daemon)",
                    o -> o.noDetach = true),
            text(GENERAL, BOTH, "--log-file=FILE", "log what we're doing to the specified FILE",
                    (o, v) -> o.logFile = v),
            text(GENERAL, CLIENT, "--write-batch=FILE", "write a batched update to FILE",
                    (o, v) -> o.batch = BatchMode.then(o.batch, BatchMode.Kind.WRITE, v)),
            text(GENERAL, CLIENT, "--only-write-batch=FILE", "like --write-batch but w/o updating dest",
                    (o, v) -> o.batch = BatchMode.then(o.batch, BatchMode.Kind.ONLY_WRITE, v)),
            text(GENERAL, CLIENT, "--read-batch=FILE", "read a batched update from FILE",
                    (o, v) -> o.batch = BatchMode.then(o.batch, BatchMode.Kind.READ, v)),
            text(GENERAL, BOTH, "--log-file-format=FMT", "log updates using the specified FMT",
                    (o, v) -> o.logFileFormat = v),
            text(GENERAL, CLIENT, "--out-format=FORMAT", "output updates using the specified FORMAT",
                    (o, v) -> o.logFormat = v),

            // ---- information
            flag(INFO, CLIENT, "--version -V", "print the version + other info and exit", o -> o.version++),
            text(GENERAL, BOTH, "--info=FLAGS", "fine-grained informational verbosity",
                    (o, v) -> OutputFlags.apply(o, OutputFlags.parse(v, false))),
            text(GENERAL, BOTH, "--debug=FLAGS", "fine-grained debug verbosity", (o, v) -> {
                Map<String, Integer> words = OutputFlags.parse(v, true);
                if (words.remove("HELP") != null) {
                    o.outputFlagsHelp = "debug";
                }
                if (words.containsKey("ALL") || words.containsKey("NONE")) {
                    o.debug.clear();
                }
                o.debug.putAll(words);
            }),
            flag(INFO, CLIENT, "--help", "show this help (-h is help only on its own)", o -> o.help = true),

            // ---- what a client tells a server
            flag(SERVER, Scope.SERVER, "--server", null, o -> o.server = true),
            flag(SERVER, Scope.SERVER, "--sender", null, o -> o.sender = true),
            text(SERVER, Scope.SERVER, "--rsh=COMMAND -e", null, (o, v) -> o.clientInfo = v),
            text(SERVER, BOTH, "--log-format=FORMAT", null, (o, v) -> o.logFormat = v), // --out-format's old name
            flag(SERVER, Scope.SERVER, "--old-compress", null, o -> o.compressChoice = "zlib"),
            flag(SERVER, Scope.SERVER, "--new-compress", null, o -> o.compressChoice = "zlibx"),

            // ---- rsync's options jrsync does not do: refused by name, as rsync refuses what it was built without
            notDone("--crtimes -N"), notDone("--copy-devices"), notDone("--write-devices"),
notDone("--munge-links"),
            notDone("--ignore-errors"),
           
            notDone("--fsync"), notDone("--iconv=CONVERT_SPEC"), notDone("--ipv4 -4"), notDone("--ipv6 -6"),
            notDone("--qsort"), notDone("--copy-as=USER"),
            notDone("--outbuf=N"), notDone("--stderr=e|a|c"), notDone("--msgs2stderr"),
            notDone("--old-dirs --old-d"), notDone("--dparam=OVERRIDE"), notDone("--detach"),
            // their negations ask for what jrsync does anyway
            flag(ATTRIBUTES, BOTH, "--no-crtimes --no-N"
                    + " --no-write-devices --no-munge-links --no-ignore-errors"
                    + " --no-iconv"
                    + " --no-msgs2stderr", null, o -> { }));

    private static final Lookup CLIENT_LOOKUP = new Lookup(false);
    private static final Lookup SERVER_LOOKUP = new Lookup(true);

    /** Every option, in table (and help) order. */
    public static List<OptionSpec> specs() {
        return SPECS;
    }

    /** The option called {@code --name} in a command line ({@code server} false) or a server list; null if none. */
    public static OptionSpec findLong(String name, boolean server) {
        return (server ? SERVER_LOOKUP : CLIENT_LOOKUP).longs.get(name);
    }

    /** The option called {@code -c}; null if none. */
    public static OptionSpec findShort(char c, boolean server) {
        return (server ? SERVER_LOOKUP : CLIENT_LOOKUP).shorts.get(c);
    }

    /** Name indexes for one scope; a name used twice there is a table bug. */
    private static final class Lookup {
        final Map<String, OptionSpec> longs = new HashMap<>();
        final Map<Character, OptionSpec> shorts = new HashMap<>();

        Lookup(boolean server) {
            for (OptionSpec spec : SPECS) {
                if (!spec.scope().accepts(server)) {
                    continue;
                }
                for (String name : spec.longNames()) {
                    if (longs.put(name, spec) != null) {
                        throw new IllegalStateException("duplicate option --" + name);
                    }
                }
                if (spec.shortName() != OptionSpec.NO_SHORT && shorts.put(spec.shortName(), spec) != null) {
                    throw new IllegalStateException("duplicate option -" + spec.shortName());
                }
            }
        }
    }

    // ---- actions that need more than an assignment

    // rsync keeps the three --delete-WHEN choices apart and refuses a mix (parse_arguments).
    private static void deleteWhen(OptionsBuilder o, DeleteMode mode) {
        if (o.deleteWhen != null && o.deleteWhen.conflictsWith(mode)) {
            throw OptionException.syntax("You may not combine multiple --delete-WHEN options.");
        }
        o.deleteWhen = mode;
    }

    // rsync/options.c:parse_arguments set_dest_dir: one type, at most MAX_BASIS_DIRS directories
    private static void basisDir(OptionsBuilder o, AltDest type, String dir) {
        if (o.altDest != null && o.altDest != type) {
            throw OptionException.syntax("ERROR: the " + type.option() + " option conflicts with the "
                    + o.altDest.option() + " option");
        }
        o.altDest = type;
        if (o.basisDirs.size() >= AltDest.MAX_DIRS) {
            throw OptionException.syntax("ERROR: at most " + AltDest.MAX_DIRS + " " + type.option()
                    + " args may be specified");
        }
        o.basisDirs.add(dir);
    }

    // rsync treats a negative --max-delete as "delete nothing"; INT_MIN is its "not given" marker.
    private static void maxDelete(OptionsBuilder o, int n) {
        o.maxDelete = n == Integer.MIN_VALUE ? null : Math.max(n, 0);
    }

    // rsync/options.c:parse_arguments case 'F': the first two add a rule, later ones nothing.
    private static void filterShortcut(OptionsBuilder o) {
        o.filterShortcuts++;
        if (o.filterShortcuts == 1) {
            o.filters.add(new FilterArg(FilterArg.Kind.F, ": /.rsync-filter"));
        } else if (o.filterShortcuts == 2) {
            o.filters.add(new FilterArg(FilterArg.Kind.F, "- .rsync-filter"));
        }
    }

    // rsync/options.c:parse_arguments case OPT_BWLIMIT: bytes (K by default, at least 512 unless 0)
    // rounded to KiB.
    private static void bwlimit(OptionsBuilder o, String value) {
        long bytes = SizeArg.parse(value, 'K', "bwlimit", 512, -1, true);
        long kib = bytes / 1024 + (bytes % 1024 >= 512 ? 1 : 0);
        o.bwlimit = (int) Math.min(kib, Integer.MAX_VALUE);
    }

    // rsync/options.c:parse_arguments, OPT_CHOWN: "USER:GROUP", either half may be empty
    private static void chown(OptionsBuilder o, String v) {
        int colon = v.indexOf(':');
        String user = colon < 0 ? v : v.substring(0, colon);
        String group = colon < 0 ? "" : v.substring(colon + 1);
        if (!user.isEmpty()) {
            ownerMap(o, true, "*:" + user, true);
        }
        if (!group.isEmpty()) {
            ownerMap(o, false, "*:" + group, true);
        }
    }

    // OPT_USERMAP, OPT_GROUPMAP and OPT_CHOWN's halves: one map each, which implies -o or -g
    private static void ownerMap(OptionsBuilder o, boolean users, String map, boolean viaChown) {
        String kind = users ? "user" : "group";
        if ((users ? o.usermap : o.groupmap) != null) {
            boolean priorViaChown = users ? o.usermapViaChown : o.groupmapViaChown;
            throw OptionException.syntax(viaChown
                    ? priorViaChown ? "You can only specify a " + kind + "-affecting --chown once."
                            : "--chown conflicts with prior --" + kind + "map."
                    : priorViaChown ? "--" + kind + "map conflicts with prior --chown."
                            : "You can only specify --" + kind + "map once.");
        }
        if (users) {
            o.usermap = map;
            o.usermapViaChown = viaChown;
            o.owner = true;
        } else {
            o.groupmap = map;
            o.groupmapViaChown = viaChown;
            o.group = true;
        }
    }

    /** fanotify (one mark per filesystem) needs CAP_SYS_ADMIN; the watcher falls back to inotify without it. */
    private static String watchBackend(String v) {
        if (!v.equals("inotify") && !v.equals("fanotify") && !v.equals("auto")) {
            throw OptionException.syntax("--watch-backend=" + v + ": expected inotify, fanotify or auto");
        }
        return v;
    }

    private static int milliseconds(String option, int n) {
        if (n < 0) {
            throw OptionException.syntax("--" + option + "=" + n + " must not be negative");
        }
        return n;
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}, the port from 0 (any free one) to 65535. */
    private static String hostAndPort(String option, String v) {
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        String port = v.substring(colon + 1);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (host.isEmpty() || (host.indexOf(':') >= 0 && !bracketed) || !port.matches("[0-9]{1,5}")
                || Integer.parseInt(port) > 65535) {
            throw OptionException.syntax("--" + option + "=" + v + ": expected ADDR:PORT, such as 127.0.0.1:9100");
        }
        return v;
    }

    // ---- table-building helpers

    private static OptionSpec flag(OptionGroup g, Scope scope, String names, String help, Consumer<OptionsBuilder> c) {
        return spec(g, scope, names, ArgType.NONE, help, (o, t, n) -> c.accept(o));
    }

    private static OptionSpec text(OptionGroup g, Scope scope, String names, String help,
                                   BiConsumer<OptionsBuilder, String> c) {
        return spec(g, scope, names, ArgType.STRING, help, (o, t, n) -> c.accept(o, t));
    }

    /**
     * An option of rsync's that jrsync does not do: accepted by the parser (with its value) so that it is refused
     * by its own name, with rsync's code for an unsupported action (4), in a command line and in a server list.
     */
    private static OptionSpec notDone(String names) {
        String shown = names.split("[ =]")[0];
        return spec(GENERAL, BOTH, names, names.contains("=") ? ArgType.STRING : ArgType.NONE, null, (o, t, n) -> {
            throw new OptionException(OptionException.PREFIX + shown + " is not supported by jrsync",
                    ExitCode.UNSUPPORTED);
        });
    }

    private static OptionSpec number(OptionGroup g, Scope scope, String names, String help, ObjIntConsumer<OptionsBuilder> c) {
        return spec(g, scope, names, ArgType.INT, help, (o, t, n) -> c.accept(o, n));
    }

    /** Splits "--long=ARG --alias -s" into the spec's names. */
    private static OptionSpec spec(OptionGroup g, Scope scope, String names, ArgType type, String help,
                                   OptionSpec.Action action) {
        List<String> longs = new ArrayList<>();
        char shortName = OptionSpec.NO_SHORT;
        String argName = null;
        for (String word : names.split(" ")) {
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                if (eq >= 0) {
                    argName = word.substring(eq + 1);
                    word = word.substring(0, eq);
                }
                longs.add(word.substring(2));
            } else if (word.length() == 2 && word.charAt(0) == '-') {
                shortName = word.charAt(1);
            } else {
                throw new IllegalArgumentException("bad option name: " + word);
            }
        }
        if ((argName == null) != (type == ArgType.NONE)) {
            throw new IllegalArgumentException("argument name does not match the type of " + names);
        }
        return new OptionSpec(longs, shortName, type, scope, g, argName, help, action);
    }
}
