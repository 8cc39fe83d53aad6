package io.courier.server.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain HTTP GETs against the monitoring listener, and reading samples out of Prometheus text. */
final class Http {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private Http() {
    }

    static HttpResponse<String> get(String base, String path) throws Exception {
        return send(base, path, "GET");
    }

    static HttpResponse<String> send(String base, String path, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static int status(String base, String path) throws Exception {
        return get(base, path).statusCode();
    }

    /** {@code /metrics}, asserted 200, with a leading newline so every sample line starts with one. */
    static String scrape(String base) throws Exception {
        HttpResponse<String> response = get(base, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return "\n" + response.body();
    }

    /** The value of one sample line, e.g. {@code courier_messages_in_total 12.0}. */
    static double value(String exposition, String sample) {
        Matcher matcher = Pattern.compile("\n" + Pattern.quote(sample) + " (\\S+)").matcher(exposition);
        assertTrue(matcher.find(), "no sample " + sample + " in:\n" + exposition);
        return Double.parseDouble(matcher.group(1));
    }

    static boolean has(String exposition, String sample) {
        return exposition.contains("\n" + sample + " ");
    }
}
