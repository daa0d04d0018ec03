package dev.jrsync.bench;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListDecoder;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Heap retained per entry by a received file list of {@code N} entries (default 1,000,000): the list is
 * encoded as a sender would, decoded and sorted as a receiver does, and the live heap measured after a
 * full GC with and without it. Run: {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar
 * dev.jrsync.bench.FileListMemory [N]}.
 */
public final class FileListMemory {
    private static final int PROTOCOL = 31;

    private FileListMemory() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        FileListOptions options = FileListOptions.archive(PROTOCOL, true, true, true);
        IdNames names = IdNames.of(Map.of(0, "root", 1000, "alice"), Map.of(0, "root", 100, "users"));
        byte[] wire = encode(n, options, names);
        long before = liveHeap();
        ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(wire), PROTOCOL);
        FileListDecoder decoder = new FileListDecoder(new FileListOptions(PROTOCOL, options.varintFlags(), true, true,
                true, true, true, 0, false, options.id0Names(), options.safeFlist(), n + 10));
        List<FileEntry> entries = decoder.readList(in);
        FileList flist = FileList.forReceiver(entries, PROTOCOL);
        entries = null;
        long after = liveHeap();
        System.out.printf("%,d entries, %,d wire bytes: %.1f bytes of heap per entry (list size %d)%n", n, wire.length,
                (after - before) / (double) n, flist.size());
    }

    /** 1,000 directories of files named like a source tree's, sizes and times varied. */
    private static byte[] encode(int n, FileListOptions options, IdNames names) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(sink, PROTOCOL);
        FileListEncoder encoder = new FileListEncoder(options, names);
        Random r = new Random(1);
        long now = 1_750_000_000L;
        int perDir = Math.max(1, n / 1000);
        int made = 0;
        for (int d = 0; made < n; d++) {
            String dir = "src/module" + d / 10 + "/package" + d;
            encoder.writeEntry(out, FileEntry.builder(dir, 040755).size(4096).mtime(now, 0).owner(1000, 100).build());
            made++;
            for (int f = 0; f < perDir - 1 && made < n; f++, made++) {
                encoder.writeEntry(out, FileEntry.builder(dir + "/File" + f + ".java", 0100644)
                        .size(r.nextInt(65536)).mtime(now - r.nextInt(10_000_000), r.nextInt(1_000_000_000))
                        .owner(1000, 100).build());
            }
        }
        encoder.writeEnd(out, 0);
        out.flush();
        return sink.toByteArray();
    }

    private static long liveHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
