package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** The data the side-by-side runs move: one large file in three versions, and a tree of many small files. */
final class Workload {
    private static final int CHUNK = 1 << 20;

    private Workload() {}

    /** {@code size} seeded random bytes. */
    static void writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += CHUNK) {
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(random.nextLong());
                }
                buf.flip().limit((int) Math.min(CHUNK, size - done));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    /** Overwrites {@code edits} runs of 100 bytes spread evenly over the file: a few blocks change. */
    static void scatterEdits(Path file, int edits, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            for (int i = 0; i < edits; i++) {
                byte[] junk = new byte[100];
                for (int j = 0; j < junk.length; j++) {
                    junk[j] = (byte) random.nextInt();
                }
                ch.write(ByteBuffer.wrap(junk), size / edits * i + size / (2L * edits));
            }
        }
    }

    /** A copy of {@code from} with 7 bytes inserted at the start: every block boundary shifts. */
    static void insertAtStart(Path from, Path to) throws IOException {
        try (OutputStream out = Files.newOutputStream(to)) {
            out.write("INSERT!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Files.copy(from, out);
        }
    }

    /** {@code count} files of 1-4 KiB in directories of 100 each. */
    static void smallFiles(Path root, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            Path dir = root.resolve(String.format("d%04d", i / 100));
            if (i % 100 == 0) {
                Files.createDirectories(dir);
            }
            byte[] content = new byte[1024 + random.nextInt(3072)];
            for (int j = 0; j < content.length; j++) {
                content[j] = (byte) ('a' + random.nextInt(26));
            }
            Files.write(dir.resolve("f" + i + ".txt"), content);
        }
    }
}
