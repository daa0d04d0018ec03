package dev.jrsync.net;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's answer to {@code CONNECT} ({@code rsync/socket.c:establish_proxy_connection}): a status line
 * {@code HTTP/<version> 2xx ...}, then header lines up to an empty one, which are thrown away. Every line, its
 * newline included, must fit in rsync's 1023 bytes; any other status is refused with the line the proxy sent.
 * Lines are consumed as they complete, so what is held is at most one partial line.
 */
public final class ProxyResponse {
    /** The most bytes a line may take, its newline included. */
    public static final int MAX_LINE = HttpProxy.BUF_SIZE - 1;

    private boolean statusSeen;

    /**
     * Consumes the complete lines at the start of {@code in}; true once the empty line ending the header has
     * been read, leaving whatever follows it (the daemon's first bytes) unread in {@code in}.
     */
    public boolean feed(ByteBuf in) throws ProxyException {
        while (true) {
            int start = in.readerIndex();
            int window = Math.min(in.readableBytes(), MAX_LINE);
            int nl = in.indexOf(start, start + window, (byte) '\n');
            if (nl < 0) {
                if (window == MAX_LINE) {
                    throw new ProxyException(statusSeen ? "proxy response header line too long"
                            : "proxy response line too long");
                }
                return false;
            }
            int len = nl - start;
            if (len > 0 && in.getByte(nl - 1) == '\r') {
                len--;
            }
            String line = in.toString(start, len, StandardCharsets.ISO_8859_1);
            in.readerIndex(nl + 1);
            if (!statusSeen) {
                checkStatus(line);
                statusSeen = true;
            } else if (line.isEmpty()) {
                return true;
            }
        }
    }

    /** The proxy closed the connection before the header ended. */
    public static ProxyException endedEarly() {
        return new ProxyException("failed to read from proxy: connection closed");
    }

    private static void checkStatus(String line) throws ProxyException {
        if (!line.startsWith("HTTP/")) {
            throw bad(line);
        }
        int i = 5;
        while (i < line.length() && (Character.isDigit(line.charAt(i)) || line.charAt(i) == '.')) {
            i++;
        }
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '2') {
            throw bad(line);
        }
    }

    private static ProxyException bad(String line) {
        // the line ends at a NUL, as in rsync's C string
        int nul = line.indexOf('\0');
        return new ProxyException("bad response from proxy -- " + (nul < 0 ? line : line.substring(0, nul)));
    }
}
