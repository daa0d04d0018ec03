package dev.jrsync.net;

import java.io.IOException;

/**
 * The HTTP proxy could not give us a tunnel ({@code rsync/socket.c:establish_proxy_connection} fails): the message
 * is rsync's own line, printed as it is, without a program-name prefix.
 */
public final class ProxyException extends IOException {
    public ProxyException(String message) {
        super(message);
    }
}
