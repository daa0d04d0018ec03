package dev.jrsync.session;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.BlockSums;
import dev.jrsync.delta.SumHead;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.AltDest;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntConsumer;

/**
 * A regular file in the generator ({@code rsync/generator.c:recv_generator}'s second half and {@code
 * generate_and_send_sums}): the size and existence rules, the basis directories, the quick check, and when the
 * file must come, the choice of basis (partial file, the file itself, a basis directory's copy or a fuzzy match),
 * recorded in the {@link RequestTable} and sent to the sender with its block sums.
 */
final class RegularFileGenerator {
    private final RecvContext ctx;
    private final Connection conn;
    private final RecvOptions o;
    private final SessionParams params;
    private final Generator.Settings settings;
    private final DestPaths paths;
    /** {@code --partial-dir}, or null. */
    private final PartialDir partial;
    private final BasisDirs basisDirs;
    private final AttrSetter attrs;
    private final QuickCheck quickCheck;
    private final Deleter deleter;
    private final AltDestBasis altDest;
    private final FuzzyBasis fuzzy;
    private final Itemizer itemizer;
    private final RequestTable requests;
    /** Told of each request before it is sent (incremental recursion counts its list's open files); or null. */
    private final IntConsumer onRequest;
    private final SessionLog log;
    private final ProtocolOutput out;
    private final int protocol;

    RegularFileGenerator(GenContext g, BasisDirs basisDirs, RequestTable requests, IntConsumer onRequest) {
        this.ctx = g.recv();
        this.conn = ctx.conn();
        this.o = ctx.o();
        this.params = ctx.params();
        this.settings = g.settings();
        this.paths = ctx.paths();
        this.partial = ctx.partialDir();
        this.basisDirs = basisDirs;
        this.attrs = ctx.attrs();
        this.quickCheck = g.quickCheck();
        this.deleter = g.deleter();
        this.altDest = g.altDest();
        this.fuzzy = g.fuzzy();
        this.itemizer = g.itemizer();
        this.requests = requests;
        this.onRequest = onRequest;
        this.log = conn.log();
        this.out = conn.out();
        this.protocol = ctx.protocol();
    }

    /** What became of a file: what {@code -H} needs to know whether its other names may link to it. */
    enum Outcome {
        /** A rule left it out (or what stood in its way stayed): rsync's {@code handle_skipped_hlink}. */
        LEFT_OUT,
        /** Up to date, or made from a basis directory. */
        IN_PLACE,
        /** Asked of the sender (in a dry run: only reported). */
        REQUESTED
    }

    private Outcome skipped(boolean say, String line) {
        if (say) {
            log.info(line);
        }
        return Outcome.LEFT_OUT;
    }

    /** What --info=skip2 adds to "exists": how the existing file differs. */
    private String why(FileEntry e, Path path, LocalStat st) throws IOException {
        if (!st.isRegular()) {
            return " (type change)";
        }
        if (!quickCheck.quickCheckOk(e, path, st)) {
            return o.checksum() ? " (sum change)" : " (file change)";
        }
        return (quickCheck.attrFlags(e, st, path) & ItemLog.SIGNIFICANT) != 0 ? " (attr change)" : " (uptodate)";
    }

    /** {@code redo}: the file failed its whole-file check; asked again with full-length sums, no skipping rules. */
    Outcome generate(int ndx, FileEntry e, Path path, LocalStat st, boolean redo) throws IOException {
        if (!redo) {
            // rsync/generator.c:recv_generator's order, and what --info=skip says of each
            if (o.existing() && st == null) {
                return skipped(o.skipInfo() >= 1, "not creating new file \"" + e.displayName() + "\"");
            }
            if (o.ignoreExisting() && st != null) {
                return skipped(o.skipInfo() >= 1, e.displayName() + " exists" + (o.skipInfo() >= 2 ? why(e, path, st) : ""));
            }
            if (o.maxSize() != null && e.size() > o.maxSize()) {
                return skipped(o.skipInfo() >= 1, e.displayName() + " is over max-size");
            }
            if (o.minSize() != null && e.size() < o.minSize()) {
                return skipped(o.skipInfo() >= 1, e.displayName() + " is under min-size");
            }
        }
        if (st != null && !st.isRegular()) {
            if (o.dryRun()) {
                st = null;
            } else {
                if (!deleter.removeForReplacement(path, st, e)) {
                    return Outcome.LEFT_OUT;
                }
                st = null;
            }
        }
        AltDestBasis.Candidate alternate = null;
        if (!basisDirs.isEmpty() && (st == null || basisDirs.type() != AltDest.COPY)) {
            AltDestBasis.Candidate c = altDest.best(e, paths.nameInDestDir(e));
            if (c != null && altDest.settled(ndx, e, path, st, c)) {
                return basisDirs.type() == AltDest.COMPARE ? Outcome.LEFT_OUT : Outcome.IN_PLACE;
            }
            if (c != null && st == null) {
                alternate = c;
            }
        }
        if (!redo && st != null) {
            if (o.update() && quickCheck.compareMtime(st, e) > 0) {
                return skipped(o.skipInfo() >= 1, e.displayName() + " is newer");
            }
            if (quickCheck.quickCheckOk(e, path, st)) {
                int iflags = quickCheck.attrFlags(e, st, path);
                if (!o.dryRun()) {
                    attrs.setAttrs(path, e, st, false);
                    if ((iflags & ItemFlags.REPORT_ACL) != 0) {
                        // rsync/generator.c itemizes an up-to-date file after set_file_attrs, whose set_acl left
                        // the mode it gave the file in the stat that itemize compares: no 'p' beside an 'a'
                        iflags &= ~ItemFlags.REPORT_PERMS;
                    }
                }
                itemizer.itemize(ndx, e, iflags);
                ctx.reportInPlace(e, iflags);
                ctx.duplicated(ndx); // an up-to-date copy
                return Outcome.IN_PLACE;
            }
        }
        if (!redo && o.appendMode() > 0 && st != null && st.size() >= e.size()) {
            return Outcome.LEFT_OUT; // --append never shortens or rewrites
        }

        int iflags = ItemFlags.TRANSFER;
        // A file found in a basis directory is reported as an update of that copy, as rsync does.
        LocalStat was = st != null ? st : alternate != null ? alternate.st() : null;
        if (was == null) {
            iflags |= ItemFlags.IS_NEW;
        } else {
            iflags |= quickCheck.attrFlags(e, was, st != null ? path : alternate.path()) & ~ItemFlags.REPORT_TIME;
            if (was.size() != e.size()) {
                iflags |= ItemFlags.REPORT_SIZE;
            }
            if (quickCheck.timeDiffers(was, e)) {
                iflags |= ItemFlags.REPORT_TIME;
            }
            if (o.checksum()) {
                iflags |= ItemFlags.REPORT_CHANGE;
            }
        }
        // against the file the receiver takes unsent long values from: the destination's, if it has one
        iflags |= itemizer.xattrFlags(e, st != null ? path : null);

        // Pick the basis: the partial file, the file itself, or a fuzzy match.
        Path basis = null;
        int basisType = ItemFlags.FNAMECMP_FNAME;
        byte[] xname = null;
        if (partial != null && !o.delayUpdates()) {
            Path partialFile;
            try {
                partialFile = partial.of(e, path, false).file();
            } catch (IOException missing) {
                partialFile = null; // no partial directory, no partial file
            }
            LocalStat ps = partialFile == null ? null : DestPaths.lstat(partialFile);
            if (ps != null && ps.isRegular()) {
                basis = partialFile;
                basisType = ItemFlags.FNAMECMP_PARTIAL_DIR;
            }
        }
        if (basis == null && st != null) {
            basis = path;
        }
        if (basis == null && alternate != null) {
            basis = alternate.path();
            basisType = alternate.dir(); // rsync's FNAMECMP_BASIS_DIR_LOW + j
        }
        if (basis == null && o.fuzzyLevel() > 0 && !o.inplace()) {
            FuzzyBasis.Fuzzy similar = fuzzy.find(path, e, paths.nameInDestDir(e));
            if (similar != null) {
                basis = similar.path();
                basisType = similar.basisType();
                xname = PathBytes.of(similar.path().getFileName());
                if (o.debugFuzzy() > 0) {
                    // rsync/generator.c:recv_generator names a basis directory's copy by that directory
                    int dir = basisType - ItemFlags.FNAMECMP_FUZZY - 1;
                    log.info("fuzzy basis selected for " + e.displayName() + ": "
                            + (dir < 0 ? "" : o.basisDirs().get(dir) + "/") + similar.name());
                }
            }
        }
        if (basisType != ItemFlags.FNAMECMP_FNAME) {
            iflags |= ItemFlags.BASIS_TYPE_FOLLOWS;
        }
        if (xname != null) {
            iflags |= ItemFlags.XNAME_FOLLOWS;
        }

        if (!o.doXfers()) {
            requests.record(new RequestTable.Request(ndx, path, null, basisType, xname, SumHead.EMPTY, redo, st != null, false));
            NdxAttrs.write(out, protocol, ndx, iflags, basisType, xname);
            itemizer.xattrRequest(e, iflags);
            return Outcome.REQUESTED;
        }

        // rsync/checksum.c:parse_checksum_choice: checksum "none" implies --whole-file
        boolean noBlockSums = params.strongChecksum().type() == ChecksumType.NONE;
        // --read-batch: the batch holds the sums its writer's generator sent; this one sends none (rsync's
        // generator.c skips them with read_batch) but names the basis the batch's delta applies to
        boolean sendSums = basis != null && !o.readBatch() && (!settings.wholeFile() && !noBlockSums || o.appendMode() > 0);
        SumHead head = SumHead.EMPTY;
        FileChannel ch = null;
        if (sendSums) {
            try {
                ch = FileChannel.open(basis, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                long len = ch.size();
                int csumLength = redo ? BlockSizing.SUM_LENGTH : BlockSizing.SHORT_SUM_LENGTH;
                head = len == 0 ? SumHead.EMPTY
                        : SumHead.forBasis(len, protocol, o.blockSize(), csumLength, params.strongChecksum().digestLength());
            } catch (IOException ex) {
                log.error("rsync: failed to open basis \"" + basis + "\": " + Posix.describe(ex));
                if (ch != null) {
                    ch.close();
                }
                ch = null;
                head = SumHead.EMPTY;
            }
        }
        Path recordedBasis = head.count() > 0 || o.inplace() || o.readBatch() ? basis : null;
        if (recordedBasis == null && basisType != ItemFlags.FNAMECMP_FNAME) {
            // No usable basis after all: ask plainly.
            iflags &= ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
            basisType = ItemFlags.FNAMECMP_FNAME;
            xname = null;
        }
        // --append: the head alone tells the sender how much the receiver keeps (generate_and_send_sums)
        boolean append = o.appendMode() > 0 && !redo && st != null && head.count() > 0;
        requests.record(new RequestTable.Request(ndx, path, recordedBasis, basisType, xname, head, redo, st != null, append));
        if (onRequest != null) {
            onRequest.accept(ndx);
        }
        NdxAttrs.write(out, protocol, ndx, iflags, basisType, xname);
        itemizer.xattrRequest(e, iflags);
        try {
            if (append) {
                head.write(out, protocol);
            } else if (ch != null && head.count() > 0) {
                BlockSums.generateAndSend(ch, head, params.strongChecksum().newBlockHasher(), out, protocol,
                        conn.in().maxAlloc());
            } else {
                head.write(out, protocol);
            }
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
        return Outcome.REQUESTED;
    }
}
