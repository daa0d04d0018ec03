package dev.jrsync.cli;

import dev.jrsync.client.DaemonClient;
import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.delta.token.CompressionType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code jrsync --version}: the version, the protocols spoken and the negotiable algorithms. */
final class VersionText {
    private VersionText() {}

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionText.class.getResourceAsStream("/jrsync-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    static String text() {
        StringBuilder protocols = new StringBuilder();
        for (int v = DaemonClient.MIN_PROTOCOL_VERSION; v <= DaemonClient.PROTOCOL_VERSION; v++) {
            protocols.append(protocols.isEmpty() ? "" : " ").append(v);
        }
        return "jrsync  version " + version() + "  protocol version " + DaemonClient.PROTOCOL_VERSION + "\n"
                + "Protocols spoken: " + protocols + "\n"
                + "Checksum list:\n    " + dev.jrsync.checksum.ChecksumType.defaultList(false) + "\n"
                + "Compress list:\n    " + CompressionType.negotiationList(false) + "\n"
                + "Daemon auth list:\n    " + String.join(" ", DaemonAuth.DIGESTS) + "\n"
                + "\njrsync is a pure-Java implementation of the rsync protocol; it is not rsync itself.\n";
    }
}
