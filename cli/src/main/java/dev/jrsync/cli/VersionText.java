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

    /**
     * {@code -VV}: rsync's JSON capability list ({@code rsync/usage.c:print_rsync_version} with JSON output), with
     * jrsync's answers. Scripts and rsync's own test suite read it to learn what a binary can do, so every
     * capability jrsync lacks is false: no iconv or crtimes. Batch files, hard links (of symlinks and
     * special files too), symlink times, extended attributes and ACLs are kept, as rsync keeps them on Linux; ACLs
     * are set on a path whose last component is not followed ("ACL_at"), as rsync's race-safe calls set them.
     */
    static String json() {
        String caps = """
                    "file_bits": 64, "inum_bits": 64, "timestamp_bits": 64,
                    "long_int_bits": 64, "socketpairs": false, "symlinks": true,
                    "symtimes": true, "hardlinks": true, "hardlink_specials": true,
                    "hardlink_symlinks": true, "IPv6": true, "atimes": true,
                    "batchfiles": true, "inplace": true, "append": true, "ACLs": true,
                    "ACL_at": true, "xattrs": true, "secluded_args": true,
                    "iconv": false, "prealloc": false, "stop_at": false, "crtimes": false""";
        return "{\n"
                + "  \"program\": \"jrsync\",\n"
                + "  \"version\": \"" + version() + "\",\n"
                + "  \"protocol\": \"" + DaemonClient.PROTOCOL_VERSION + ".0\",\n"
                + "  \"copyright\": \"jrsync's authors; a pure-Java implementation of the rsync protocol\",\n"
                + "  \"capabilities\": {\n" + caps.indent(4) + "  },\n"
                + "  \"optimizations\": {\n    \"SIMD_roll\": false, \"asm_roll\": false, \"openssl_crypto\": false,\n"
                + "    \"asm_MD5\": false\n  },\n"
                + "  \"checksum_list\": [\n    " + jsonList(dev.jrsync.checksum.ChecksumType.defaultList(false))
                + "\n  ],\n"
                + "  \"compress_list\": [\n    " + jsonList(CompressionType.negotiationList(false) + " none") + "\n  ],\n"
                + "  \"daemon_auth_list\": [\n    " + jsonList(String.join(" ", DaemonAuth.DIGESTS)) + "\n  ],\n"
                + "  \"license\": \"see the project\",\n"
                + "  \"caveat\": \"jrsync is not rsync itself\"\n"
                + "}\n";
    }

    /** A space-separated list of names as JSON strings. */
    private static String jsonList(String names) {
        return java.util.Arrays.stream(names.trim().split(" +"))
                .map(n -> "\"" + n + "\"").collect(java.util.stream.Collectors.joining(", "));
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
