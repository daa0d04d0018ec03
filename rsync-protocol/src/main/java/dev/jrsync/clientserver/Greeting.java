package dev.jrsync.clientserver;

import dev.jrsync.wire.ProtocolException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code @RSYNCD:} greeting both sides send first ({@code rsync/clientserver.c:exchange_protocols},
 * {@code compat.c:output_daemon_greeting}).
 */
public record Greeting(int protocol, int subprotocol, List<String> digests) {
    public static final String PREFIX = "@RSYNCD: ";
    /** The line a client sends after the greeting, before the module, with its {@code --early-input} bytes' count. */
    public static final String EARLY_INPUT = "#early_input=";
    /** The most {@code --early-input} bytes a daemon takes: rsync's {@code BIGPATHBUFLEN} line buffer. */
    public static final int MAX_EARLY_INPUT = 5120;

    /** The line we send, without the newline. */
    public String format() {
        StringBuilder sb = new StringBuilder(PREFIX).append(protocol).append('.').append(subprotocol);
        for (String d : digests) {
            sb.append(' ').append(d);
        }
        return sb.toString();
    }

    /** Parses a peer's greeting line; rejects what rsync rejects. */
    public static Greeting parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new ProtocolException("protocol startup error: not an rsync daemon greeting: " + abbreviate(line));
        }
        String rest = line.substring(PREFIX.length()).trim();
        String[] words = rest.split(" +");
        String version = words[0];
        int dot = version.indexOf('.');
        int protocol;
        int sub = 0;
        try {
            protocol = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
            if (dot >= 0) {
                sub = Integer.parseInt(version.substring(dot + 1));
            }
        } catch (NumberFormatException e) {
            throw new ProtocolException("protocol startup error: bad version in greeting: " + abbreviate(line));
        }
        if (protocol >= 30 && dot < 0) {
            throw new ProtocolException("the peer omitted the subprotocol value: " + abbreviate(line));
        }
        List<String> digests = List.copyOf(Arrays.asList(words).subList(1, words.length));
        if (protocol > 31 && digests.isEmpty()) {
            throw new ProtocolException("the peer's protocol " + protocol + " greeting has no digest list");
        }
        return new Greeting(protocol, sub, digests);
    }

    /** Negotiated version ({@code exchange_protocols}): the lower one, minus one across unequal pre-releases. */
    public static int negotiate(Greeting ours, Greeting theirs) {
        int p = Math.min(ours.protocol, theirs.protocol);
        boolean lowerIsPrerelease = theirs.protocol < ours.protocol ? theirs.subprotocol != 0
                : theirs.protocol > ours.protocol ? ours.subprotocol != 0
                : ours.subprotocol != theirs.subprotocol;
        return lowerIsPrerelease ? p - 1 : p;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
