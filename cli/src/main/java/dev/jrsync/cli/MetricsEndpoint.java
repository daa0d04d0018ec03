package dev.jrsync.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code --metrics=ADDR:PORT}: the mirror's numbers as Prometheus text at {@code http://ADDR:PORT/metrics},
 * through Micrometer's Prometheus registry. rsync has nothing of the kind. Every series carries its target's
 * {@code target} label (the destination as given), so that a watcher feeding several targets shows each apart.
 * The JDK's own HTTP server serves it: one scrape every few seconds needs no more, and Netty, which jrsync
 * already carries, would bring its HTTP codec along for it.
 */
final class MetricsEndpoint implements AutoCloseable {
    /** Prometheus' text exposition format, as the registry's {@code scrape()} writes it. */
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** An error's line is a label value: kept short, and one series per target, replaced by the next error. */
    private static final int MAX_ERROR_LABEL = 200;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge lastErrors = MultiGauge.builder("jrsync.mirror.last.error.timestamp").baseUnit("seconds")
            .description("when the target's last transfer failed, the failure as the error label")
            .register(registry);
    private final List<MirrorTally> tallies = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves the metrics at {@code hostAndPort} ({@code --metrics}'s value, checked by the option parser) until
     * closed.
     *
     * @throws RsyncException with rsync's code for socket I/O (10) when the address cannot be bound, as rsync's
     *                        daemon ends when it cannot listen
     */
    static MetricsEndpoint start(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = new InetSocketAddress(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
        if (address.isUnresolved()) {
            throw new RsyncException(ExitCode.SOCKET_IO, "--metrics: unknown host " + host);
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, "--metrics: cannot listen on " + hostAndPort + ": "
                    + e.getMessage());
        }
        MetricsEndpoint endpoint = new MetricsEndpoint(server);
        server.createContext("/metrics", endpoint::serve);
        server.start();
        return endpoint;
    }

    /** Where it listens, with the port the system chose for port 0. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** The target's lag: each batch's, from its oldest change to its arrival, published as p50 and p99. */
    LongConsumer lag(String target) {
        Timer timer = Timer.builder("jrsync.mirror.lag").tag("target", target)
                .description("from a batch's oldest change to its arrival at the target")
                .publishPercentiles(0.5, 0.99).register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Serves {@code tally}'s numbers, and {@code pending}, its changes seen and not yet sent. */
    void expose(MirrorTally tally, IntSupplier pending) {
        Tags target = Tags.of("target", tally.target());
        Gauge.builder("jrsync.mirror.pending", pending, IntSupplier::getAsInt).tags(target).baseUnit("paths")
                .description("changed paths waiting for a batch").strongReference(true).register(registry);
        gauge("jrsync.mirror.in.flight", "paths", "changed paths of the batch going over", tally,
                MirrorTally::inFlight);
        gauge("jrsync.mirror.watched", "directories", "directories watched as the watch began", tally,
                MirrorTally::watches);
        counter("jrsync.mirror.batches", null, "batches of changes sent", tally, MirrorTally::batches);
        counter("jrsync.mirror.full.syncs", null, "transfers of the whole tree", tally, MirrorTally::fullSyncs);
        counter("jrsync.mirror.retries", null, "failed transfers, each retried", tally, MirrorTally::retries);
        counter("jrsync.mirror.sent", "bytes", "bytes written to the target", tally, MirrorTally::bytesSent);
        counter("jrsync.mirror.saved", "bytes", "changed bytes that deltas and moves did not send", tally,
                MirrorTally::bytesSaved);
        tallies.add(tally);
    }

    private void gauge(String name, String unit, String help, MirrorTally tally, ToDoubleFunction<MirrorTally> f) {
        Gauge.builder(name, tally, f).tag("target", tally.target()).baseUnit(unit).description(help)
                .strongReference(true).register(registry);
    }

    private void counter(String name, String unit, String help, MirrorTally tally, ToDoubleFunction<MirrorTally> f) {
        FunctionCounter.builder(name, tally, f).tag("target", tally.target()).baseUnit(unit).description(help)
                .register(registry);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            List<MultiGauge.Row<?>> errors = new ArrayList<>();
            for (MirrorTally tally : tallies) {
                MirrorTally.LastError e = tally.lastError();
                if (e != null) {
                    String line = e.message().length() > MAX_ERROR_LABEL
                            ? e.message().substring(0, MAX_ERROR_LABEL) : e.message();
                    errors.add(MultiGauge.Row.of(Tags.of("target", tally.target(), "error", line),
                            e.at().toEpochMilli() / 1000.0));
                }
            }
            lastErrors.register(errors, true);
            byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT_FORMAT);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : text.length);
            if (!head) {
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(text);
                }
            }
        }
    }

    /** Stops listening; a scrape under way is cut short. */
    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
