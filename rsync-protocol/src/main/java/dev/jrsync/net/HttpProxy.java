package dev.jrsync.net;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The HTTP proxy {@code RSYNC_PROXY} names ({@code rsync/socket.c:open_socket_out}, {@code establish_proxy_connection}):
 * {@code [USER:PASS@]HOST:PORT}, and the {@code CONNECT} request that asks it for a tunnel to a daemon, with a
 * {@code Proxy-Authorization: Basic} line when a user is given. rsync builds the request in a 1024-byte buffer, so
 * a longer one is refused rather than sent.
 */
public record HttpProxy(String host, int port, String user, String password) {
    /** rsync's PROXY_BUF_SIZE: the request, and each response line with its newline, must stay below it. */
    public static final int BUF_SIZE = 1024;
    /** rsync copies the variable into a 1024-byte buffer and the port into a 10-byte one, cutting what is longer. */
    private static final int MAX_SPEC = BUF_SIZE - 1;
    private static final int MAX_PORT = 9;

    /** The proxy {@code spec} names; null when it is null or empty (no proxy). */
    public static HttpProxy parse(String spec) throws ProxyException {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        String s = spec.length() > MAX_SPEC ? spec.substring(0, MAX_SPEC) : spec;
        String user = null;
        String password = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            String credentials = s.substring(0, at);
            int colon = credentials.indexOf(':');
            if (colon < 0) {
                throw new ProxyException("invalid proxy specification: should be USER:PASS@HOST:PORT");
            }
            user = credentials.substring(0, colon);
            password = credentials.substring(colon + 1);
            s = s.substring(at + 1);
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new ProxyException("invalid proxy specification: should be HOST:PORT");
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        if (portText.length() > MAX_PORT) {
            portText = portText.substring(0, MAX_PORT);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProxyException("rsync: getaddrinfo: " + host + " " + portText + ": Servname not supported");
        }
        return new HttpProxy(host, port, user, password);
    }

    /** The request for a tunnel to {@code host:port}, ending with the blank line. */
    public byte[] connectRequest(String host, int port) throws ProxyException {
        if (host.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProxyException("invalid control character in proxy CONNECT host");
        }
        String auth = "";
        if (user != null) {
            byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
            int len = Math.min(pair.length, BUF_SIZE - 1);
            if ((len * 8 + 5) / 6 >= BUF_SIZE - 3) {
                throw new ProxyException("authentication information is too long");
            }
            auth = "\r\nProxy-Authorization: Basic " + Base64.getEncoder().encodeToString(pair);
        }
        byte[] request = ("CONNECT " + host + ":" + port + " HTTP/1.0" + auth + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        if (request.length >= BUF_SIZE) {
            throw new ProxyException("proxy CONNECT request too long");
        }
        return request;
    }

    @Override
    public String toString() {
        return host + ":" + port; // never the password
    }
}
