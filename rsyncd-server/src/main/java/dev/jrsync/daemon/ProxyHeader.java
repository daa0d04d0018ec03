package dev.jrsync.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The HAProxy PROXY protocol header a trusted proxy sends before the client's first byte
 * ({@code rsync/clientname.c:read_proxy_protocol_header}), version 1 (a text line) or 2 (binary), naming the
 * client the proxy speaks for. rsync reads exactly the header's bytes, no further, so the {@code @RSYNCD} greeting
 * behind it stays unread: {@link #parse} is told what has been read so far and answers how many more bytes it needs,
 * never more than {@link #MAX_HEADER} in all, or its verdict.
 */
final class ProxyHeader {
    private ProxyHeader() {}

    /** The version 2 signature, which is also the first read of either version. */
    static final byte[] V2_SIGNATURE = {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    private static final int V2_FIXED = V2_SIGNATURE.length + 4;
    /** rsync reads the header into a union whose largest member is version 2's with two Unix socket paths. */
    static final int MAX_HEADER = V2_FIXED + 2 * 108;
    /** A version 1 line ends at its newline within rsync's 108-byte buffer, the terminating NUL included. */
    static final int MAX_V1_LINE = 107;

    private static final int CMD_LOCAL = 0;
    private static final int CMD_PROXY = 1;
    private static final int FAM_TCP4 = 0x11;
    private static final int FAM_TCP6 = 0x21;

    /** What the bytes read so far amount to. */
    sealed interface Step {}

    /** The header goes on for this many more bytes at least. */
    record Need(int bytes) implements Step {}

    /** A well-formed header; {@code source} is the client it names, or null to keep the connection's own peer. */
    record Accepted(InetAddress source) implements Step {}

    /** Not a header rsync accepts: the connection is dropped. */
    record Rejected(String reason) implements Step {}

    /** Reads a header from {@code in}, taking no byte beyond it; an early end of the stream is a rejection. */
    static Step read(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_HEADER];
        int len = 0;
        Step step = new Need(V2_SIGNATURE.length);
        while (step instanceof Need(int bytes)) {
            int n = in.readNBytes(buf, len, bytes);
            if (n < bytes) {
                throw new EOFException("connection closed in the PROXY protocol header");
            }
            len += n;
            step = parse(buf, len);
        }
        return step;
    }

    /** The verdict on the first {@code len} bytes of a connection, or how many more bytes it takes to reach one. */
    static Step parse(byte[] b, int len) {
        if (len < V2_SIGNATURE.length) {
            return new Need(V2_SIGNATURE.length - len);
        }
        if (Arrays.equals(b, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
            return v2(b, len);
        }
        if (Arrays.equals(b, 0, 5, "PROXY".getBytes(StandardCharsets.US_ASCII), 0, 5)) {
            return v1(b, len);
        }
        return new Rejected("neither a PROXY v1 line nor the v2 signature");
    }

    private static Step v2(byte[] b, int len) {
        if (len < V2_FIXED) {
            return new Need(V2_FIXED - len);
        }
        int version = (b[12] & 0xF0) >> 4;
        int command = b[12] & 0x0F;
        int family = b[13] & 0xFF;
        int size = (b[14] & 0xFF) << 8 | (b[15] & 0xFF);
        if (version != 2) {
            return new Rejected("PROXY v2 header of version " + version);
        }
        if (V2_FIXED + size > MAX_HEADER) {
            return new Rejected("PROXY v2 address block of " + size + " bytes");
        }
        if (len < V2_FIXED + size) {
            return new Need(V2_FIXED + size - len);
        }
        switch (command) {
            case CMD_LOCAL:
                return new Accepted(null); // the proxy's own connection, a health check: its peer is the client
            case CMD_PROXY:
                int addrLen = family == FAM_TCP4 ? 4 : family == FAM_TCP6 ? 16 : 0;
                if (addrLen == 0) {
                    return new Accepted(null); // a family rsync does not know: the connection stays as it is
                }
                if (size != 2 * addrLen + 4) {
                    return new Rejected("PROXY v2 address block of " + size + " bytes for family " + family);
                }
                try {
                    return new Accepted(InetAddress.getByAddress(Arrays.copyOfRange(b, V2_FIXED, V2_FIXED + addrLen)));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e); // 4 or 16 bytes are always an address
                }
            default:
                return new Rejected("PROXY v2 command " + command);
        }
    }

    private static Step v1(byte[] b, int len) {
        // the line is rsync's C string: it ends at a NUL, and the first read may hold a newline already
        int firstRead = V2_SIGNATURE.length;
        if (len == firstRead ? indexOf(b, (byte) '\n', cStringLength(b, firstRead)) < 0 : b[len - 1] != '\n') {
            return len >= MAX_V1_LINE ? new Rejected("PROXY v1 line without its end in " + MAX_V1_LINE + " bytes")
                    : new Need(1);
        }
        int end = cStringLength(b, len);
        int cr = indexOf(b, (byte) '\r', end);
        if (cr < 0 || cr != end - 2 || b[cr + 1] != '\n') {
            return new Rejected("PROXY v1 line not ended by CRLF");
        }
        String line = new String(b, 0, cr, StandardCharsets.ISO_8859_1);
        return v1Fields(line);
    }

    private static Step v1Fields(String line) {
        int p = 5;
        if (p >= line.length() || !isSpace(line.charAt(p++))) {
            return new Rejected("PROXY v1 line without a space after PROXY");
        }
        if (line.startsWith("UNKNOWN", p)) {
            return new Accepted(null);
        }
        if (!line.startsWith("TCP4", p) && !line.startsWith("TCP6", p)) {
            return new Rejected("PROXY v1 protocol not TCP4, TCP6 or UNKNOWN");
        }
        p += 4;
        if (p >= line.length() || !isSpace(line.charAt(p++))) {
            return new Rejected("PROXY v1 line without a space after its protocol");
        }
        // source address, destination address, source port, each ended by a space; the destination port ends the line
        String[] f = new String[4];
        for (int i = 0; i < 3; i++) {
            int sp = line.indexOf(' ', p);
            if (sp < 0) {
                return new Rejected("PROXY v1 line with too few fields");
            }
            f[i] = line.substring(p, sp);
            p = sp + 1;
        }
        f[3] = line.substring(p);
        InetAddress source = IpAddressText.parse(f[0]);
        if (source == null || IpAddressText.parse(f[1]) == null) {
            return new Rejected("PROXY v1 address not an IP address");
        }
        if (!nonZeroNumber(f[2]) || !nonZeroNumber(f[3])) {
            return new Rejected("PROXY v1 port not a number");
        }
        return new Accepted(source);
    }

    /** What C's strtol accepts as a whole word in base 10 (leading space, a sign, digits), and not zero. */
    private static boolean nonZeroNumber(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        boolean nonZero = false;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            nonZero |= s.charAt(i) != '0';
            i++;
        }
        return i > digits && i == s.length() && nonZero;
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int cStringLength(byte[] b, int len) {
        int nul = indexOf(b, (byte) 0, len);
        return nul < 0 ? len : nul;
    }

    private static int indexOf(byte[] b, byte value, int end) {
        for (int i = 0; i < end; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
