package dev.jrsync.session;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether an existing file is already the sender's, and which attributes differ: rsync's quick check (size and
 * mtime, or the checksum with {@code -c}) and the attribute bits of {@code itemize}.
 */
final class QuickCheck {
    /**
     * How files are compared: {@code -c}, {@code --size-only}, {@code -I} and {@code --modify-window} (0 when not
     * given: whole seconds).
     */
    record Rules(boolean checksum, boolean sizeOnly, boolean ignoreTimes) {
        static Rules of(Options o) {
            return new Rules(o.checksum(), o.sizeOnly(), o.ignoreTimes());
        }
    }

    private final Rules rules;
    private final Preserve preserve;
    private final SessionParams params;
    private final AttrSetter attrs;

    QuickCheck(Rules rules, SessionParams params, AttrSetter attrs) {
        this.rules = rules;
        this.preserve = attrs.preserve();
        this.params = params;
        this.attrs = attrs;
    }

    /** Whether the file at {@code path} is taken to be the entry's current version (rsync/generator.c:quick_check_ok). */
    boolean quickCheckOk(FileEntry e, Path path, LocalStat st) {
        if (st.size() != e.size()) {
            return false;
        }
        if (rules.checksum() && e.checksum() != null) {
            return Arrays.equals(fileChecksum(path), e.checksum());
        }
        if (rules.sizeOnly()) {
            return true;
        }
        if (rules.ignoreTimes()) {
            return false;
        }
        return !timeDiffers(st, e);
    }

    private byte[] fileChecksum(Path path) {
        ChecksumType type = params.checksums().file();
        FileDigest d = FileDigest.forFileList(type);
        byte[] buf = new byte[64 << 10];
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        } catch (IOException ex) {
            return new byte[0];
        }
        return d.finish();
    }

    /**
     * Positive when the local file is newer than the entry, 0 when their times are the same ({@code
     * rsync/util1.c:same_time}, with {@code mtime_differs}' sign): the same second by default, as rsync compares
     * them; nanoseconds only with a negative {@code --modify-window}, and only where the protocol sends them.
     */
    int compareMtime(LocalStat st, FileEntry e) {
        if (params.protocol() < 31 && preserve.modifyWindow() < 0) {
            return Long.signum(st.mtimeSeconds() - e.mtime());
        }
        return preserve.sameTime(st, e) ? 0 : st.mtimeSeconds() != e.mtime()
                ? Long.signum(st.mtimeSeconds() - e.mtime()) : Integer.signum(st.mtimeNanos() - e.mtimeNsec());
    }

    boolean timeDiffers(LocalStat st, FileEntry e) {
        return compareMtime(st, e) != 0;
    }

    /** The itemize bits for attribute differences of an existing item at {@code path}, its ACLs' included. */
    int attrFlags(FileEntry e, LocalStat st, Path path) {
        return attrFlags(e, st) | attrs.aclFlags(e, path, st);
    }

    /** The itemize bits for attribute differences of an existing item, but for its ACLs. */
    int attrFlags(FileEntry e, LocalStat st) {
        int f = 0;
        boolean timesApply = preserve.timesOf(e);
        if (timesApply && timeDiffers(st, e)) {
            f |= ItemFlags.REPORT_TIME;
        }
        // rsync/generator.c:itemize reports no symlink's atime
        if (preserve.atimesOf(e) && !e.isSymlink() && st.atimeSeconds() != e.atime()) {
            f |= ItemFlags.REPORT_ATIME;
        }
        if (preserve.perms() && !e.isSymlink() && (st.mode() & 07777) != (attrs.targetMode(e, st) & 07777)) {
            f |= ItemFlags.REPORT_PERMS;
        } else if (!preserve.perms() && preserve.executability() && !e.isSymlink()
                && ((st.mode() & 0111) == 0) != ((e.mode() & 0111) == 0)) {
            f |= ItemFlags.REPORT_PERMS; // rsync/generator.c:itemize with preserve_executability
        }
        if (preserve.setsOwner() && st.uid() != e.uid()) {
            f |= ItemFlags.REPORT_OWNER;
        }
        if (preserve.group() && st.gid() != e.gid()) {
            f |= ItemFlags.REPORT_GROUP;
        }
        return f;
    }
}
