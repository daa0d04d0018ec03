package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.Xattrs;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The sender's part of {@code -X} after the file list ({@code rsync/xattrs.c:recv_xattr_request} and {@code
 * send_xattr_request} with a file name): the generator names the long values it lacks after an item's flags, and
 * the sender sends them, read again from the file, after its echo of those flags.
 */
final class XattrSender {
    private final Function<FileEntry, Path> pathOf;
    private final boolean dryRun;
    private final boolean optim;
    private final SessionLog log;
    /** The item just read: which of its set's items were asked for, by position. */
    private boolean[] asked = new boolean[0];

    XattrSender(Function<FileEntry, Path> pathOf, boolean dryRun, boolean optim, SessionLog log) {
        this.pathOf = pathOf;
        this.dryRun = dryRun;
        this.optim = optim;
        this.log = log;
    }

    /** Reads the generator's request for {@code e}, if its flags say one follows. */
    void readRequest(ProtocolInput in, FileEntry e, int iflags) {
        if (!XattrGenerator.requestFollows(iflags, dryRun, optim)) {
            return;
        }
        asked = new boolean[e.xattrs().size()];
        XattrRequestReader request = new XattrRequestReader(e, "sender");
        for (int at; (at = request.next(in)) >= 0; ) {
            asked[at] = true;
        }
    }

    /** After the echo of {@code e}'s flags: the values asked for, each as its number's difference, length, bytes. */
    void writeValues(ProtocolOutput out, FileEntry e, int iflags) {
        if (!XattrGenerator.requestFollows(iflags, dryRun, optim)) {
            return;
        }
        XattrSet set = e.xattrs();
        int prior = 0;
        for (int i = 0; i < set.size() && i < asked.length; i++) {
            if (!asked[i]) {
                continue;
            }
            XattrSet.Item it = set.items().get(i);
            out.writeVarint(it.num() - prior);
            prior = it.num();
            byte[] value = reread(e, it);
            out.writeVarint(value == null ? 0 : value.length); // its length may have changed since it was listed
            if (value != null) {
                out.write(value);
            }
        }
        asked = new boolean[0];
        out.writeByte(0);
    }

    private byte[] reread(FileEntry e, XattrSet.Item it) {
        Path path = pathOf.apply(e);
        try {
            byte[] value = Xattrs.lget(path, it.name());
            if (value != null) {
                return value;
            }
            log.error("failed to re-read xattr " + new String(it.name(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    + " for " + e.displayName());
        } catch (IOException ex) {
            log.error("failed to re-read xattr for " + e.displayName() + ": " + Posix.describe(ex));
        }
        return null;
    }
}
