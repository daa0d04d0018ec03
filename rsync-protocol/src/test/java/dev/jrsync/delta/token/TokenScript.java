package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helper: drives a writer with a script of literals and block matches, and replays a stream with a reader. */
final class TokenScript {
    sealed interface Op permits Literal, Match {
    }

    record Literal(byte[] data) implements Op {
    }

    record Match(int block) implements Op {
    }

    private TokenScript() {
    }

    static Literal lit(byte[] data) {
        return new Literal(data);
    }

    static Match match(int block) {
        return new Match(block);
    }

    /** Encodes every file of the session with one writer. */
    static byte[] encode(CompressionType type, int level, int protocol, byte[][] blocks, List<List<Op>> files) {
        return encode(type, level, 0, protocol, blocks, files);
    }

    /** Encodes with {@code threads} compression worker threads ({@code --compress-threads}). */
    static byte[] encode(CompressionType type, int level, int threads, int protocol, byte[][] blocks,
                         List<List<Op>> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenWriter writer = TokenCodecs.writer(type, level, threads, new ProtocolOutput(bytes, protocol), protocol);
        for (List<Op> file : files) {
            write(writer, blocks, file);
        }
        return bytes.toByteArray();
    }

    static void write(TokenWriter writer, byte[][] blocks, List<Op> file) {
        for (Op op : file) {
            switch (op) {
                case Literal l -> writer.literal(l.data(), 0, l.data().length);
                case Match m -> writer.match(m.block(), blocks[m.block()], 0, blocks[m.block()].length);
            }
        }
        writer.endFile();
    }

    /** The content each file's script describes. */
    static byte[] expected(byte[][] blocks, List<Op> file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Op op : file) {
            switch (op) {
                case Literal l -> out.writeBytes(l.data());
                case Match m -> out.writeBytes(blocks[m.block()]);
            }
        }
        return out.toByteArray();
    }

    /** Decodes {@code fileCount} files with one reader, as a receiver would, checking indexes against the block count. */
    static List<byte[]> decode(CompressionType type, int protocol, byte[][] blocks, byte[] stream, int fileCount) {
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        TokenReader reader = TokenCodecs.reader(type, new ProtocolInput(in, protocol), protocol);
        List<byte[]> files = new ArrayList<>();
        for (int f = 0; f < fileCount; f++) {
            files.add(readFile(reader, blocks));
        }
        if (in.available() != 0) {
            throw new AssertionError(in.available() + " bytes left after the last file");
        }
        return files;
    }

    static byte[] readFile(TokenReader reader, byte[][] blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int t;
        while ((t = reader.next()) != 0) {
            if (t > 0) {
                out.write(reader.literalBuffer(), reader.literalOffset(), t);
            } else {
                int index = -(t + 1);
                if (index >= blocks.length) {
                    throw new ProtocolException("block index " + index + " beyond count " + blocks.length);
                }
                out.writeBytes(blocks[index]);
                reader.matched(blocks[index], 0, blocks[index].length);
            }
        }
        return out.toByteArray();
    }

    static byte[] random(long seed, int len) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Compressible text-like data. */
    static byte[] text(long seed, int len) {
        Random r = new Random(seed);
        String[] words = {"rsync ", "delta ", "token ", "block ", "literal ", "match ", "zlib ", "stream\n"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.substring(0, len).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[][] blocks(int count, int size, long seed) {
        byte[][] b = new byte[count][];
        for (int i = 0; i < count; i++) {
            b[i] = i % 2 == 0 ? random(seed + i, size) : text(seed + i, size);
        }
        return b;
    }
}
