package dev.jrsync.clientserver;

import dev.jrsync.core.PathBytes;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's argument list on the wire ({@code rsync/io.c:read_args}, the sending half of {@code
 * rsync/clientserver.c:start_inband_exchange}, and {@code rsync/rsync.c:send_protected_args}): each argument
 * followed by a separator, NUL from protocol 30 and newline before, and an empty argument to end the list. With
 * {@code -s} the list after the option letters follows as a second, always NUL-separated list that starts with a
 * stand-in program name.
 */
public final class ArgList {
    private ArgList() {}

    /**
     * The most arguments a reader takes: a daemon's are bounded, a peer's announcement is not a budget. rsync's
     * daemon stops at 16000 entries, its own program name and a last slot among them ({@code io.c:read_args}).
     */
    public static final int MAX_ARGS = 16000 - 2;
    /** The longest argument a reader takes: rsync reads each into its BIGPATHBUFLEN line buffer. */
    public static final int MAX_ARG_LENGTH = 5120;
    /** The most bytes one list may take in all. */
    public static final int MAX_TOTAL = 1 << 20;
    /** The program name a secluded list starts with, which its reader drops. */
    static final String SECLUDED_ARG0 = "rsync";

    /** The separator of a list sent at {@code protocol}. */
    public static int separator(int protocol) {
        return protocol >= 30 ? 0 : '\n';
    }

    /** {@code args}, each followed by {@code sep}, then the empty argument that ends the list. */
    public static byte[] encode(List<String> args, int sep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String a : args) {
            out.writeBytes(PathBytes.bytes(a));
            out.write(sep);
        }
        out.write(sep);
        return out.toByteArray();
    }

    /**
     * The second list of a {@code -s} session: the stand-in program name, then {@code args} NUL-terminated, an
     * empty one sent as ".", as rsync sends it (an empty argument would end the list).
     */
    public static byte[] secluded(List<String> args) {
        List<String> all = new ArrayList<>(args.size() + 1);
        all.add(SECLUDED_ARG0);
        args.forEach(a -> all.add(a.isEmpty() ? "." : a));
        return encode(all, 0);
    }

    /**
     * Reads a list up to its empty argument; a carriage return before a newline separator is dropped, as a telnet
     * user's line ends. Bounded in count, length and total by the constants above, whatever the peer sends.
     *
     * @throws ProtocolException past a bound
     */
    public static List<String> read(ProtocolInput in, int sep) {
        List<String> args = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        long total = 0;
        while (true) {
            int c = in.readUnsignedByte();
            if (++total > MAX_TOTAL) {
                throw new ProtocolException("the client's argument list is too long");
            }
            if (c == sep) {
                if (cur.size() == 0) {
                    return args;
                }
                if (args.size() >= MAX_ARGS) {
                    throw new ProtocolException("too many daemon arguments");
                }
                args.add(PathBytes.text(cur.toByteArray()));
                cur.reset();
            } else if (c != '\r' || sep == 0) {
                if (cur.size() >= MAX_ARG_LENGTH) {
                    throw new ProtocolException("over-long argument from the client");
                }
                cur.write(c);
            }
        }
    }

    /** Reads the second list of a {@code -s} session ({@link #secluded}) without its program name. */
    public static List<String> readSecluded(ProtocolInput in) {
        List<String> args = read(in, 0);
        return args.isEmpty() ? args : args.subList(1, args.size());
    }
}
