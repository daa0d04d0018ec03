package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Byte-vector helpers for the file-list tests. */
final class Wire {
    private Wire() {}

    /** Hex digits with optional spaces, e.g. {@code "a0 01"}. */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A whole list as one encoder writes it, with its end marker. */
    static byte[] encode(FileListOptions o, IdNames names, List<FileEntry> entries) {
        Sink sink = new Sink(o.protocol());
        FileListEncoder enc = new FileListEncoder(o, names);
        entries.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        return sink.bytes();
    }

    static ProtocolInput in(byte[] bytes, int protocol) {
        return new ProtocolInput(new ByteArrayInputStream(bytes), protocol);
    }

    /** A ProtocolOutput whose bytes {@link Sink#bytes()} returns. */
    static final class Sink {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        final ProtocolOutput out;

        Sink(int protocol) {
            out = new ProtocolOutput(buf, protocol);
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
