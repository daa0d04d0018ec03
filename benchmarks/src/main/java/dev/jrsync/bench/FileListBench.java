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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sending and receiving a file list of 10,000 entries ({@code -a}, protocol 31): 100 directories of
 * 99 files, in scan order, with varied sizes, times and a few owners. One operation is the whole list,
 * so entries per second are ops/s times {@value #ENTRIES}. {@code receive} is what a receiver does with it:
 * decode, then check the order and clean out duplicates ({@link FileList#forReceiver}).
 */
@State(Scope.Thread)
public class FileListBench extends BenchDefaults {
    private static final int ENTRIES = 10_000;
    private static final int PROTOCOL = 31;
    private static final int FILES_PER_DIR = 99;
    private static final FileListOptions OPTIONS = FileListOptions.archive(PROTOCOL, true, true, true);
    private static final IdNames NAMES = IdNames.of(Map.of(0, "root", 1000, "alice", 1001, "bob"),
            Map.of(0, "root", 100, "users"));

    private List<FileEntry> entries;
    private byte[] encoded;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    @Setup
    public void setup() {
        Random r = new Random(10);
        long now = 1_750_000_000L;
        entries = new ArrayList<>(ENTRIES);
        for (int d = 0; entries.size() < ENTRIES; d++) {
            String dir = "src/module" + d / 10 + "/package" + d;
            entries.add(FileEntry.builder(dir, 040755).size(4096).mtime(now - r.nextInt(86_400), 0)
                    .owner(1000, 100).build());
            for (int f = 0; f < FILES_PER_DIR && entries.size() < ENTRIES; f++) {
                int owner = r.nextInt(10) == 0 ? 1001 : 1000;
                entries.add(FileEntry.builder(dir + "/File" + f + (f % 3 == 0 ? "Test.java" : ".java"), 0100644)
                        .size(r.nextInt(64 * 1024)).mtime(now - r.nextInt(10_000_000), r.nextInt(1_000_000_000))
                        .owner(owner, 100).build());
            }
        }
        encode();
        encoded = sink.toByteArray();
    }

    @Benchmark
    public int encode() {
        sink.reset();
        ProtocolOutput out = new ProtocolOutput(sink, PROTOCOL);
        FileListEncoder encoder = new FileListEncoder(OPTIONS, NAMES);
        for (FileEntry e : entries) {
            encoder.writeEntry(out, e);
        }
        encoder.writeEnd(out, 0);
        encoder.writeIdLists(out);
        return sink.size();
    }

    @Benchmark
    public List<FileEntry> decode() {
        ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(encoded), PROTOCOL);
        FileListDecoder decoder = new FileListDecoder(OPTIONS);
        List<FileEntry> list = decoder.readList(in);
        decoder.readIdLists(in);
        return list;
    }

    @Benchmark
    public FileList receive() {
        return FileList.forReceiver(decode(), PROTOCOL);
    }
}
