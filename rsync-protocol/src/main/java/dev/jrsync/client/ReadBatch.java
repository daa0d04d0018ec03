package dev.jrsync.client;

import dev.jrsync.batch.BatchFiles;
import dev.jrsync.batch.BatchHeader;
import dev.jrsync.batch.StreamFlags;
import dev.jrsync.checksum.ChecksumChoice;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.Connection;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.wire.ProtocolInput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code --read-batch}: replays a recorded sender's stream into a destination. This side is the receiving
 * client of the recorded session, its generator choosing as usual which files need an update; the batch takes
 * the sender's place, and what the generator would tell a sender goes nowhere.
 */
// rsync/main.c:do_cmd and client_run with read_batch, compat.c:setup_protocol reading the batch's header
final class ReadBatch {
    private ReadBatch() {}

    /** The newest protocol jrsync speaks; a batch from a newer rsync is refused. */
    private static final int NEWEST = LocalCopy.PROTOCOL;
    private static final int OLDEST = ChecksumType.MIN_PROTOCOL;

    static TransferResult run(Options options, String dest, Filters filters, SessionLog log) {
        if (ClientTransfer.isRemote(dest)) {
            throw new RsyncException(ExitCode.SYNTAX, "remote destination is not allowed with --read-batch");
        }
        InputStream batch = new BufferedInputStream(BatchFiles.read(options.batch().file(), options.insecureLinks()),
                64 << 10);
        try (batch) {
            BatchHeader header = BatchHeader.read(new ProtocolInput(batch, 0), OLDEST, NEWEST);
            OptionsBuilder matched = options.toBuilder();
            for (String line : StreamFlags.apply(header.streamFlags(), header.protocol(), matched)) {
                if (options.verbose() > 0) {
                    log.info(line);
                }
            }
            Options replay = matched.build();
            int protocol = header.protocol();
            CompressionType compression = replay.compressionRequested()
                    ? CompressionType.withoutNegotiation(Optional.ofNullable(replay.explicitCompression()))
                    : CompressionType.NONE;
            // no names were negotiated for a batch: the protocol's own checksum, rsync's old-style compression
            SessionParams params = new SessionParams(protocol, header.compatFlags(),
                    ChecksumChoice.of(ChecksumType.protocolDefault(protocol)), compression,
                    compression.resolveLevel(CompressionType.LEVEL_NOT_SPECIFIED), 0, header.seed());
            Connection conn = new Connection(batch, OutputStream.nullOutputStream(), log);
            conn.setProtocol(protocol);
            LocalDest to = LocalDest.of(dest, replay.insecureLinks());
            return SessionRunner.run(() -> Pull.receive(conn, params, replay, to, filters.forDelete(),
                    UnaryOperator.identity(), log, false, () -> closeQuietly(batch)));
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: reading the batch file failed: " + e.getMessage());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the roles are stopping anyway
        }
    }
}
