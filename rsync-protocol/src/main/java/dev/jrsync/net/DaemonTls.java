package dev.jrsync.net;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;

/**
 * TLS for daemon connections, where rsync-ssl puts stunnel or {@code openssl s_client} in front of rsync and an
 * stunnel in front of rsyncd: here Netty's TLS handler sits in the connection's pipeline, on the JDK's TLS engine.
 * A client checks the daemon's certificate chain (against the JDK's trusted certificates, or those of a file as
 * rsync-ssl's RSYNC_SSL_CA_CERT names one) and that it names the host connected to, as {@code openssl s_client
 * -verify_hostname} does for rsync-ssl.
 */
public final class DaemonTls {
    private DaemonTls() {}

    /** A client's context: {@code caFile} (PEM) holds the certificates to trust; null: the JDK's. */
    public static SslContext client(String caFile) throws IOException {
        SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
        if (caFile != null) {
            b.trustManager(new File(caFile));
        }
        return b.build();
    }

    /** A daemon's context: its certificate chain and its key (PEM; the key unencrypted PKCS#8). */
    public static SslContext server(String certFile, String keyFile) throws IOException {
        try {
            return SslContextBuilder.forServer(new File(certFile), new File(keyFile)).build();
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
