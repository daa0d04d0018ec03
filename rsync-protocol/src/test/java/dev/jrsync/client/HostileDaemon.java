package dev.jrsync.client;

import dev.jrsync.core.SessionLog;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.Sender;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.TransferStats;
import dev.jrsync.testing.ArgsRecordingDaemon;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A malicious rsync daemon: it speaks the real protocol (greeting, module, argument list, setup, file list,
 * then a real {@link Sender} answering the client's generator), but whatever the client asks for, it sends the
 * file list it was told to plant, built by scanning its own {@code sources} below {@code root}, and it ignores
 * the client's filter rules. A name in {@code sources} is sent as a stock sender sends an argument: "dir" as
 * "dir" and its contents, "" as the root "." and everything below it.
 */
final class HostileDaemon implements AutoCloseable {
    private final ServerSocket socket;
    private final Path root;
    private final List<String> sources;
    /** Incremental mode: the top list, then each sub-list announced by its directory index; null otherwise. */
    private final List<FileEntry> top;
    private final List<Map.Entry<Integer, List<FileEntry>>> subLists;
    private final Thread acceptor;
    /** The argument lists the clients sent, one per session, for the tests' own checks. */
    final List<List<String>> requests = new CopyOnWriteArrayList<>();

    private HostileDaemon(Path root, List<String> sources, List<FileEntry> top,
                          List<Map.Entry<Integer, List<FileEntry>>> subLists)
            throws IOException {
        this.socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.root = root;
        this.sources = List.copyOf(sources);
        this.top = top;
        this.subLists = subLists;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Starts serving {@code sources} (paths below {@code root}) to every client on a free loopback port. */
    static HostileDaemon planting(Path root, String... sources) throws IOException {
        return new HostileDaemon(root, List.of(sources), null, null);
    }

    /**
     * Grants incremental recursion to a client that offers it and plants {@code top}, then each list of
     * {@code subLists} in order, announced with its key as the directory index ({@code NDX_FLIST_OFFSET - key}),
     * then NDX_FLIST_EOF; no file data follows: the client is to refuse a list before.
     */
    static HostileDaemon plantingIncrementally(List<FileEntry> top, List<Map.Entry<Integer, List<FileEntry>>> subLists)
            throws IOException {
        return new HostileDaemon(null, List.of(), top, subLists);
    }

    String url(String moduleAndPath) {
        return "rsync://127.0.0.1:" + socket.getLocalPort() + "/" + moduleAndPath;
    }

    private void acceptLoop() {
        for (int i = 0; i < 100; i++) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException closed) {
                return;
            }
            try (s) {
                s.setSoTimeout(30_000);
                serve(s);
            } catch (IOException | RuntimeException e) {
                // a client hanging up on a list it refused is the expected end of a session
                System.out.println("[hostile daemon] session ended: " + e);
            }
        }
    }

    // rsync/clientserver.c:rsync_module + main.c:do_server_sender, minus every check a daemon makes
    private void serve(Socket s) throws IOException {
        SessionLog log = SessionLog.of(System.out, System.out);
        Connection conn = new Connection(s.getInputStream(), s.getOutputStream(), log);
        ArgsRecordingDaemon.Admitted admitted = ArgsRecordingDaemon.admit(conn);
        int protocol = admitted.protocol();
        List<String> args = admitted.args();
        requests.add(args);
        ServerArgs.Parsed parsed = ServerArgs.parse(args);
        OptionsBuilder pretended = parsed.options().toBuilder();
        // a receiving server is what grants incremental recursion: the hostile one pretends to be one for that
        pretended.sender = top == null;
        SessionParams params = ProtocolSetup.server(conn, pretended.build(), parsed.clientInfo(), protocol, 12345,
                top != null);
        pretended.sender = true;
        Options options = pretended.build();
        conn.startMultiplexOut();
        if (protocol >= 30) {
            conn.startMultiplexIn();
        }
        conn.setSender(true);
        FilterRules.receive(conn.in(), protocol, options.deleteExcluded()); // read, then disregarded
        if (top != null) {
            plantLists(conn, params, options);
            return;
        }

        SourceScanner scanner = new SourceScanner(new ScanOptions(true, true, true, false, false, 0, null),
                conn.log());
        for (String source : sources) {
            scanner.addSource(source.isEmpty() ? root + "/" : root.resolve(source).toString(), ScanFilter.NONE);
        }
        List<FileEntry> entries = scanner.entries();
        ProtocolOutput out = conn.out();
        FileListOptions flo = params.fileListOptions(options, options.numericIds(), FileListOptions.DEFAULT_MAX_ENTRIES);
        FileListEncoder encoder = new FileListEncoder(flo, IdNames.system());
        for (FileEntry e : entries) {
            encoder.writeEntry(out, e);
        }
        encoder.writeEnd(out, 0);
        encoder.writeIdLists(out);
        if (protocol < 30) {
            encoder.writeIoErrorTrailer(out, 0);
        }
        out.flush();

        TransferStats stats = new TransferStats();
        Sender sender = new Sender(conn, params, FileList.forSender(new ArrayList<>(entries), protocol),
                e -> FileChannel.open(scanner.pathOf(e), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                false, true, ItemLog.silent(), stats);
        sender.sendFiles();
        // rsync/main.c:handle_stats: what a server sender owes its client before the goodbye
        out.writeVarlong30(conn.socketBytesRead(), 3);
        out.writeVarlong30(conn.socketBytesWritten(), 3);
        out.writeVarlong30(stats.totalSize, 3);
        if (protocol >= 29) {
            out.writeVarlong30(0, 3);
            out.writeVarlong30(0, 3);
        }
        out.flush();
        sender.readFinalGoodbye();
    }

    private void plantLists(Connection conn, SessionParams params, Options options) {
        ProtocolOutput out = conn.out();
        FileListOptions flo = params.fileListOptions(options, options.numericIds(), FileListOptions.DEFAULT_MAX_ENTRIES);
        if (!flo.incRecurse()) {
            throw new IllegalStateException("the client did not offer incremental recursion");
        }
        FileListEncoder encoder = new FileListEncoder(flo, IdNames.system());
        top.forEach(e -> encoder.writeEntry(out, e));
        encoder.writeEnd(out, 0);
        for (Map.Entry<Integer, List<FileEntry>> sub : subLists) {
            out.writeNdx(NdxCodec.NDX_FLIST_OFFSET - sub.getKey());
            sub.getValue().forEach(e -> encoder.writeEntry(out, e));
            encoder.writeEnd(out, 0);
        }
        out.writeNdx(NdxCodec.NDX_FLIST_EOF);
        out.flush();
        try {
            while (conn.in().readUnsignedByte() >= 0) {
                // whatever the client's generator sends until it hangs up
            }
        } catch (RuntimeException hungUp) {
            // the end the tests expect
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
