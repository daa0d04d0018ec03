package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a mirror's {@code /metrics}, as Prometheus takes it: over HTTP, in the text format. */
record Scrape(String text) {
    /** The metrics URL a mirror prints as it starts ("jrsync: metrics at http://..."). */
    private static final Pattern URL = Pattern.compile("jrsync: metrics at (http://\\S+/metrics)");

    /** The URL in a mirror's output; empty while it has not printed it yet. */
    static java.util.Optional<String> urlIn(String output) {
        Matcher m = URL.matcher(output);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    static Scrape of(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r::body);
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            return new Scrape(r.body());
        }
    }

    /** The sample {@code name{labels}} (labels as printed, in order); empty when there is none. */
    OptionalDouble value(String name, String labels) {
        String head = name + "{" + labels + "} ";
        return text.lines().filter(l -> l.startsWith(head))
                .mapToDouble(l -> Double.parseDouble(l.substring(head.length()).trim())).findFirst();
    }

    /** The sample, which must be there. */
    double get(String name, String labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no " + name + "{" + labels + "} in\n" + text));
    }
}
