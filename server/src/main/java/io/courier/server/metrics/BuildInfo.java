package io.courier.server.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server's version, as the build wrote it into {@code io/courier/server/build.properties} (Maven resource
 * filtering), so it is there in the jar, in the test class path and in an IDE alike. The jar's manifest carries
 * the same as {@code Implementation-Version}.
 */
public final class BuildInfo {
    private static final String RESOURCE = "/io/courier/server/build.properties";
    private static final String VERSION = load();

    private BuildInfo() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
