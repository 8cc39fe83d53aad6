package io.courier.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in page's files, read once from the jar ({@code web/} on the class path) and kept in memory: a few
 * small files, no network needed to show them.
 */
public final class WebAssets {
    /** Every file of the page, by the path it is served at. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/courier.js", "courier.js",
            "/style.css", "style.css",
            "/favicon.svg", "favicon.svg");

    /** A file's bytes and its Content-Type. */
    record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads every file now, so a jar built without them fails at start-up, not on the first visit. */
    public static WebAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            String resource = "web/" + file.getValue();
            try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in page's " + resource + " is missing from the jar");
                }
                assets.put(file.getKey(), new Asset(contentType(file.getValue()), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new WebAssets(assets);
    }

    /** The file served at {@code path}, or null. */
    Asset find(String path) {
        return assets.get(path);
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "image/svg+xml";
    }
}
