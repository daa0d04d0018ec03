package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrListReader;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.fs.Posix;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The receiver's part of {@code -X} after the file list ({@code rsync/xattrs.c:recv_xattr_request} and {@code
 * set_xattr} as the receiver runs them): the long values the sender sends after an item's flags, kept by set for
 * every file that shares it, and each file's attributes set once its data is in place. A long value neither sent
 * nor found equal in the file's basis is an error, as rsync's "Missing abbreviated xattr value".
 */
final class XattrReceiver implements XattrSetter.FullValues {
    /** Values are read in pieces of this size, so that a length the sender announces costs only what it sends. */
    private static final int PIECE = 64 << 10;

    private final XattrSetter setter;
    private final boolean dryRun;
    private final boolean optim;
    private final SessionLog log;
    /** Full values of long items, by set and position: sent by the sender, or found in a basis file. */
    private final Map<XattrSet, byte[][]> values = new IdentityHashMap<>();
    private int ioError;
    /** What the values kept were charged to the input's allocation budget. */
    private long held;

    XattrReceiver(XattrRules rules, boolean dryRun, boolean optim, SessionLog log) {
        this.setter = new XattrSetter(rules);
        this.dryRun = dryRun;
        this.optim = optim;
        this.log = log;
    }

    int ioError() {
        return ioError;
    }

    /** Reads the values that follow {@code e}'s flags, if the flags say they follow. */
    void readValues(ProtocolInput in, FileEntry e, int iflags) {
        if (!XattrGenerator.requestFollows(iflags, dryRun, optim)) {
            return;
        }
        XattrSet set = e.xattrs();
        XattrRequestReader request = new XattrRequestReader(e, "receiver");
        for (int at; (at = request.next(in)) >= 0; ) {
            int length = in.readVarint();
            if (length < 0 || length > XattrListReader.MAX_VALUE) {
                throw new ProtocolException("xattr datum_len exceeds per-value limit [receiver] (" + length + " for "
                        + e.displayName() + ")");
            }
            byte[][] kept = values.computeIfAbsent(set, k -> new byte[k.size()][]);
            kept[at] = readAsSent(in, length);
            in.maxAlloc().grow(held, held + length, "receiver", "xattr values"); // kept for the session
        }
    }

    /** {@code length} bytes, held as they arrive: a peer that announces much and sends little gets little memory. */
    private static byte[] readAsSent(ProtocolInput in, int length) {
        MaxAlloc alloc = in.maxAlloc();
        alloc.check(length, "receiver", "xattr value");
        if (length <= PIECE) {
            return in.readBytes(length);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(PIECE);
        byte[] piece = new byte[PIECE];
        for (int left = length; left > 0; ) {
            int n = Math.min(left, PIECE);
            in.readFully(piece, 0, n);
            buf.write(piece, 0, n);
            left -= n;
        }
        return buf.toByteArray();
    }

    @Override
    public byte[] of(XattrSet set, XattrSet.Item item) {
        byte[][] kept = values.get(set);
        return kept == null ? null : kept[set.items().indexOf(item)];
    }

    @Override
    public void found(XattrSet set, XattrSet.Item item, byte[] value) {
        values.computeIfAbsent(set, k -> new byte[k.size()][])[set.items().indexOf(item)] = value;
    }

    /**
     * Gives {@code path} the attributes of {@code e}; a long value not sent is looked for in {@code basis} (null: no
     * basis).
     */
    void set(Path path, FileEntry e, Path basis) {
        if (dryRun) {
            return;
        }
        try {
            if (setter.apply(path, e.xattrs(), basis, this) > 0) {
                for (XattrSet.Item it : e.xattrs().items()) {
                    if (it.abbreviated() && of(e.xattrs(), it) == null) {
                        log.error("Missing abbreviated xattr value, " + new String(it.name(), StandardCharsets.ISO_8859_1)
                                + ", for " + e.displayName());
                    }
                }
                ioError |= Connection.IOERR_GENERAL;
            }
        } catch (IOException ex) {
            log.error("rsync: rsync_xal_set: " + e.displayName() + ": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    /** After an item's echo with changed attributes and no data: rsync/receiver.c:recv_files' {@code set_file_attrs}. */
    static boolean setsAfterEcho(int iflags, boolean dryRun) {
        int both = ItemFlags.XNAME_FOLLOWS | ItemFlags.LOCAL_CHANGE;
        return !dryRun && (iflags & ItemFlags.REPORT_XATTR) != 0 && (iflags & both) != both;
    }
}
