package dev.jrsync.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on a loopback port that answers every {@code CONNECT} with a fixed status and, for a 2xx one,
 * relays bytes both ways to one upstream port whatever the request named. It reads the daemon's first bytes before
 * answering, and sends them in the same write as its header, so a client must take what follows the header as the
 * daemon's. It keeps each request header it was sent.
 */
public final class HttpConnectRelay implements AutoCloseable {
    private final int upstreamPort;
    private final String status;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final LoopbackRelay relay;

    private HttpConnectRelay(int upstreamPort, String status) throws IOException {
        this.upstreamPort = upstreamPort;
        this.status = status;
        this.relay = LoopbackRelay.start(this::serve);
    }

    /** A relay to {@code upstreamPort} on loopback answering with {@code status} ("HTTP/1.0 200 OK"). */
    public static HttpConnectRelay start(int upstreamPort, String status) throws IOException {
        return new HttpConnectRelay(upstreamPort, status);
    }

    public int port() {
        return relay.port();
    }

    /** Each request's header, its lines joined by CRLF and without the blank line. */
    public List<String> requests() {
        return requests;
    }

    private void serve(Socket client) throws IOException, InterruptedException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        while (!header.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || header.size() > 8192) {
                return;
            }
            header.write(b);
        }
        String text = header.toString(StandardCharsets.ISO_8859_1);
        requests.add(text.substring(0, text.length() - 4));
        OutputStream out = client.getOutputStream();
        byte[] answer = (status + "\r\nVia: 1.0 relay\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        if (!status.matches("HTTP/\\S+ 2.*")) {
            out.write(answer);
            return;
        }
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            byte[] first = new byte[4096];
            int n = upstream.getInputStream().read(first);
            ByteArrayOutputStream glued = new ByteArrayOutputStream();
            glued.write(answer);
            glued.write(first, 0, Math.max(n, 0));
            out.write(glued.toByteArray());
            LoopbackRelay.pipe(client, upstream);
        }
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
