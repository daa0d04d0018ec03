package dev.jrsync.fs;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.options.Options;
import java.nio.file.Path;

/**
 * What the source scanner includes and records.
 *
 * @param recursive {@code -r}
 * @param dirs {@code -d}: directories named on the command line are sent without their contents
 * @param links {@code -l}: symlinks are sent as symlinks (otherwise skipped as non-regular)
 * @param devices {@code --devices}
 * @param specials {@code --specials}
 * @param oneFileSystem {@code -x} given this often: once, a directory on another file system is sent but not
 *                      entered; twice, it is left out
 * @param fileChecksum the {@code --checksum} file-list sum to compute for regular files, or null
 * @param fakeSuper {@code --fake-super}: each file is listed with the attributes its {@code user.rsync.%stat}
 *                  holds, and a symlink's stand-in file as the symlink ({@link FakeSuper})
 * @param listing {@code --list-only}: symlinks, devices and specials are listed whatever {@code links},
 *                {@code devices} and {@code specials} say, as rsync's sender sends them all and only its
 *                generator skips what it may not make (a symlink's target is read only with {@code links})
 * @param chmod   {@code --chmod}: what the sender makes of each listed mode ({@code rsync/flist.c:send_file_name})
 * @param follow  which symlinks are listed as what they point to
 * @param relative {@code -R}: each source is listed by its path ({@link SourceScanner#addRelative})
 * @param impliedDirs with {@code relative}, whether a source's parent directories are listed too
 * @param hardLinks {@code -H}: names of one inode with more links than one are numbered as one group
 * @param xattrs {@code -X}: each entry carries its extended attributes as these rules read them; null without it
 * @param acls {@code -A}: each entry but a symlink carries its ACLs, a directory its default ACL too
 * @param openNoatime {@code --open-noatime}: files are read without moving their access times ({@link InFile})
 */
public record ScanOptions(boolean recursive, boolean dirs, boolean links, boolean devices, boolean specials,
                          int oneFileSystem, ChecksumType fileChecksum, boolean fakeSuper, boolean listing,
                          ChmodSpec chmod, Follow follow, boolean relative, boolean impliedDirs, boolean hardLinks,
                          XattrRules xattrs, boolean acls, boolean openNoatime) {

    /** Without fake super. */
    public ScanOptions(boolean recursive, boolean dirs, boolean links, boolean devices, boolean specials,
                       int oneFileSystem, ChecksumType fileChecksum) {
        this(recursive, dirs, links, devices, specials, oneFileSystem, fileChecksum, false, false, ChmodSpec.NONE,
                Follow.NONE, false, false, false, null, false, false);
    }

    /**
     * The symlinks a sender lists as their referents ({@code rsync/flist.c:readlink_stat}, {@code link_stat}).
     *
     * @param all    {@code -L}: every one
     * @param dirs   {@code -k}: those to directories
     * @param unsafe {@code --copy-unsafe-links}: those that lead out of the transfer ({@link SymlinkSafety})
     * @param within  where a followed link must lead, its real path beneath it (a daemon's module); null for
     *                anywhere
     */
    public record Follow(boolean all, boolean dirs, boolean unsafe, Path within) {
        public static final Follow NONE = new Follow(false, false, false, null);

        public boolean any() {
            return all || dirs || unsafe;
        }
    }

    /** These options, following links only where their real path stays beneath {@code root}. */
    public ScanOptions followingWithin(Path root) {
        return new ScanOptions(recursive, dirs, links, devices, specials, oneFileSystem, fileChecksum, fakeSuper,
                listing, chmod, new Follow(follow.all(), follow.dirs(), follow.unsafe(), root), relative, impliedDirs,
                hardLinks, xattrs, acls, openNoatime);
    }

    /**
     * What a sender's options ask for; {@code fileChecksum} is the session's {@code --checksum} sum, {@code xattrs}
     * the {@code -X} rules (null without it). From protocol 30 a {@code -R} sender lists the implied directories
     * even with {@code --no-implied-dirs} ({@code rsync/flist.c:send_file_list}), flagged so that such a receiver
     * passes them by.
     */
    public static ScanOptions of(Options o, ChecksumType fileChecksum, XattrRules xattrs, int protocol) {
        return new ScanOptions(o.recursive(), o.transfersDirs(), o.links(), o.devices(), o.specials(), o.oneFileSystem(),
                o.checksum() ? fileChecksum : null, o.fakeSuper(), o.isListOnly(),
                ChmodSpec.parse(o.chmod(), ChmodSpec.PROCESS_UMASK),
                new Follow(o.copyLinks(), o.copyDirlinks(), o.copyUnsafeLinks(), null), o.relative(),
                !o.noImpliedDirs() || protocol >= 30, o.hardLinks() > 0, xattrs, o.acls(), o.openNoatime());
    }
}
