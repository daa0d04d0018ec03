package dev.jrsync.session;

import dev.jrsync.checksum.ChecksumChoice;
import dev.jrsync.checksum.StrongChecksum;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.filter.XattrFilter;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.options.Options;

/**
 * What the handshake settled for one connection: protocol, compat flags, checksums, compression and
 * the checksum seed ({@code rsync/compat.c:setup_protocol}), with this side's own zstd worker count
 * ({@code --compress-threads}, which is not sent to the peer).
 */
public record SessionParams(int protocol, int compatFlags, ChecksumChoice checksums, CompressionType compression,
                            int compressLevel, int compressThreads, int seed) {

    public boolean has(int compatFlag) {
        return (compatFlags & compatFlag) != 0;
    }

    /** Block and whole-file sums with the seed placed as the peer expects. */
    public StrongChecksum strongChecksum() {
        return new StrongChecksum(checksums.transfer(), seed, has(CompatFlags.CHKSUM_SEED_FIX));
    }

    /**
     * rsync's {@code want_xattr_optim}: from protocol 31, unless the client asked otherwise ('x', which every rsync
     * since 3.1 and jrsync send), a local hard link made by the generator asks for no attribute values.
     */
    public boolean xattrOptim() {
        return protocol >= 31 && !has(CompatFlags.AVOID_XATTR_OPTIM);
    }

    /** {@code CF_INC_RECURSE}: the file list comes as a top list and one sub-list per directory. */
    public boolean incRecurse() {
        return has(CompatFlags.INC_RECURSE);
    }

    public boolean varintFlistFlags() {
        return has(CompatFlags.VARINT_FLIST_FLAGS);
    }

    /**
     * The file-list format of this session for the preserved attributes {@code o} asks for;
     * {@code numericIds} may be forced by a daemon module, {@code maxEntries} bounds what is received.
     */
    public FileListOptions fileListOptions(Options o, boolean numericIds, int maxEntries) {
        return new FileListOptions(protocol, varintFlistFlags(), o.owner(), o.group(), o.devices(), o.specials(), o.links(),
                o.checksum() ? checksums.file().digestLength() : 0, numericIds, has(CompatFlags.ID0_NAMES),
                has(CompatFlags.SAFE_FLIST), maxEntries, incRecurse(), o.hardLinks() > 0, XattrFilter.rules(o),
                o.acls(), o.fakeSuper(), o.missingArgs() == Options.DELETE_MISSING, o.atimes() > 0);
    }
}
