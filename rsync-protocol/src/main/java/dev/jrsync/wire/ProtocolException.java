package dev.jrsync.wire;

/**
 * The peer sent something the protocol does not allow. Ends the session with exit code 12
 * ({@code RERR_PROTOCOL}), as rsync does for a bad stream.
 */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
