package dev.jrsync.session;

import dev.jrsync.filter.XattrFilter;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XmitFlags;
import dev.jrsync.options.AltDest;
import dev.jrsync.options.Options;
import java.util.List;

/**
 * The options the receiving side's roles read (rsync's globals that {@code generator.c}, {@code receiver.c} and
 * their helpers consult), taken once from the session's options: the generator, the receiver and their helpers see
 * these, not the ninety a command line has.
 *
 * @param listOnly   {@code --list-only}, given or implied by a lone source
 * @param makesParents {@code -R --no-implied-dirs}: the sender sends no parent directories, so missing ones are
 *                   made
 * @param safeLinks  {@code --safe-links}: a symlink that leads out of the transfer is not made
 * @param keepDirlinks {@code -K}: a symlink to a directory stands where the sender has a directory
 * @param dropDevices {@code --drop-D}: no device or special file is made, whatever the list holds
 * @param inplace    {@code --inplace}, or implied by {@code --append}
 * @param partialDir {@code --partial-dir}, or the default one {@code --delay-updates} implies; null for none
 * @param preallocate {@code --preallocate}: a received file's blocks are reserved before its data comes
 * @param debugFuzzy {@code --debug=FUZZY}'s level: at 1 the basis a fuzzy search chose is told
 * @param basisDirs  the {@code --compare-dest}, {@code --copy-dest} or {@code --link-dest} directories, as given
 * @param quickCheck what decides that a file is up to date
 * @param deletion   what {@code --delete} may do
 * @param xattrs     {@code -X}: which attribute names this side reads, keeps and removes; null without it
 * @param readBatch  {@code --read-batch}: a recorded stream stands for the sender, and holds what it holds
 * @param onlyWriteBatch {@code --only-write-batch}: a dry run whose requests still get the attribute values a
 *                   real one does, for the batch records them (rsync's {@code do_xfers} with {@code dry_run})
 */
record RecvOptions(boolean dryRun, boolean listOnly, boolean recursive, int verbose, int skipInfo, int itemizeChanges,
                   int humanReadable, boolean links, boolean makesParents, boolean safeLinks, boolean keepDirlinks, boolean devices, boolean specials,
                   boolean dropDevices, boolean fakeSuper,
                   List<String> chmod, boolean pruneEmptyDirs, boolean checksum, boolean update, boolean existing,
                   boolean ignoreExisting, Long maxSize, Long minSize, int blockSize, boolean force,
                   boolean removeSourceFiles, boolean inplace, int appendMode, boolean delayUpdates,
                   String partialDir, boolean keepPartial, String tempDir, boolean sparse, boolean preallocate, int fuzzyLevel,
                   int debugFuzzy, AltDest altDest, List<String> basisDirs, QuickCheck.Rules quickCheck, Deleter.Rules deletion,
                   XattrRules xattrs, boolean readBatch, boolean onlyWriteBatch) {
    /**
     * Whether {@code e} is a directory the sender listed only as on the way ({@code TOP_DIR|NO_CONTENT_DIR}), which
     * {@code -R --no-implied-dirs} passes by: neither made from the list nor given its attributes
     * ({@code rsync/generator.c:recv_generator}).
     */
    boolean passesBy(FileEntry e) {
        return makesParents && e.isDirectory() && e.dirFlags() == (XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR);
    }

    /** rsync's {@code do_xfers}: requests carry what a transfer needs (not so in a plain dry run). */
    boolean doXfers() {
        return !dryRun || onlyWriteBatch;
    }

    static RecvOptions of(Options o) {
        return new RecvOptions(o.dryRun(), o.isListOnly(), o.recursive(), o.verbose(), o.skipInfo(), o.itemizeChanges(),
                o.humanReadable(), o.links(), o.relative() && o.noImpliedDirs(), o.safeLinks(), o.keepDirlinks(), o.devices(), o.specials(),
                o.dropDevices(), o.fakeSuper(), o.chmod(), o.pruneEmptyDirs(),
                o.checksum(), o.update(), o.existing(), o.ignoreExisting(), o.maxSize(), o.minSize(), o.blockSize(),
                o.force(), o.removeSourceFiles(), o.inplaceMode(), o.appendMode(), o.delayUpdates(),
                o.effectivePartialDir(), o.keepPartial(), o.tempDir(), o.sparse(), o.preallocate(), o.fuzzyLevel(), o.debugLevel("FUZZY"),
                o.altDest(),
                o.basisDirs(), QuickCheck.Rules.of(o), Deleter.Rules.of(o), XattrFilter.rules(o),
                o.batch() != null && o.batch().reads(), o.batch() != null && o.batch().only());
    }
}
