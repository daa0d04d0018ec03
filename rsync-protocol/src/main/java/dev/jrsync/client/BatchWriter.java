package dev.jrsync.client;

import dev.jrsync.batch.BatchFiles;
import dev.jrsync.batch.BatchHeader;
import dev.jrsync.batch.StreamFlags;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.Options;
import dev.jrsync.session.SessionParams;
import dev.jrsync.wire.ProtocolOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The batch file a client writes with {@code --write-batch} or {@code --only-write-batch}: its header once the
 * session is set up, then a copy of the sender's stream as the receiving client would read it, the sender's
 * statistics included.
 */
// rsync/batch.c:open_batch_files (write side) + io.c:start_write_batch, stop_write_batch
final class BatchWriter implements AutoCloseable {
    private final String name;
    private final int streamFlags;
    private final boolean only;
    private final OutputStream file;
    private ProtocolOutput out;

    private BatchWriter(String name, int streamFlags, boolean only, OutputStream file) {
        this.name = name;
        this.streamFlags = streamFlags;
        this.only = only;
        this.file = file;
    }

    /** The batch {@code options} ask to write, created now; null when they ask for none. */
    static BatchWriter open(Options options) {
        if (options.batch() == null || !options.batch().writes()) {
            return null;
        }
        String name = options.batch().file();
        OutputStream file = new BufferedOutputStream(BatchFiles.create(name, options.insecureLinks()), 64 << 10);
        return new BatchWriter(name, StreamFlags.of(options), options.batch().only(), file);
    }

    /** {@code --only-write-batch}: the destination is left as it is, the file data goes to the batch alone. */
    boolean only() {
        return only;
    }

    /** Writes the header for the session {@code params} describe; the stream follows. */
    void start(SessionParams params) {
        out = new ProtocolOutput(file, params.protocol());
        new BatchHeader(streamFlags, params.protocol(), params.compatFlags(), params.seed()).write(out);
    }

    /** Where the stream's bytes go: the copy a connection records, and what is written to the batch alone. */
    OutputStream stream() {
        return file;
    }

    /** The batch as protocol values, for what only the batch receives (a local copy's file list, the statistics). */
    ProtocolOutput out() {
        return out;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: Batch file " + name + " write error: "
                    + dev.jrsync.fs.Posix.describe(e));
        } catch (UncheckedIOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: Batch file " + name + " write error: "
                    + dev.jrsync.fs.Posix.describe(e.getCause()));
        }
    }
}
