package io.courier.server.plugins;

import io.courier.server.api.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Handlers added without touching the server: classes implementing {@link Handler}, with a public no-argument
 * constructor, listed in {@code META-INF/services/io.courier.server.api.Handler}, in jars on the class path
 * or in the plugins directory ({@code --plugins DIR}: every {@code *.jar} in it, loaded by one class loader whose
 * parent is the server's). Closing this closes that class loader.
 */
public final class Plugins implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    private final List<Handler> handlers;
    private final URLClassLoader directoryLoader;

    private Plugins(List<Handler> handlers, URLClassLoader directoryLoader) {
        this.handlers = handlers;
        this.directoryLoader = directoryLoader;
    }

    /**
     * Finds every plugin handler visible to {@code parent} and, when {@code dir} is not null, in the jars of
     * {@code dir}. A jar that cannot be read or a listed class that cannot be made is an
     * {@link IllegalArgumentException} naming it: a server should not start with half its plugins.
     */
    public static Plugins load(Path dir, ClassLoader parent) {
        URLClassLoader directoryLoader = dir == null ? null : new URLClassLoader("courier-plugins", jars(dir), parent);
        List<Handler> handlers = new ArrayList<>();
        try {
            for (Handler handler : ServiceLoader.load(Handler.class, directoryLoader != null ? directoryLoader
                    : parent)) {
                handlers.add(handler);
            }
        } catch (ServiceConfigurationError e) {
            closeQuietly(directoryLoader);
            throw new IllegalArgumentException("cannot load a plugin handler: " + e.getMessage(), e);
        }
        return new Plugins(List.copyOf(handlers), directoryLoader);
    }

    /** The plugin handlers found, in the order ServiceLoader found them. */
    public List<Handler> handlers() {
        return handlers;
    }

    /** Where a handler's class came from (its jar or directory), for the start-up log and error messages. */
    public static String origin(Handler handler) {
        CodeSource source = handler.getClass().getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return handler.getClass().getName() + " from " + (location == null ? "the class path" : location.getPath());
    }

    /** Logs each plugin type with its origin. */
    public void logLoaded() {
        if (handlers.isEmpty() && directoryLoader != null) {
            log.warn("No plugin handlers found in {}: each jar needs META-INF/services/{} listing its handler "
                    + "classes", List.of(directoryLoader.getURLs()), Handler.class.getName());
        }
        for (Handler handler : handlers) {
            log.info("Plugin type '{}' added: {}", handler.type(), origin(handler));
        }
    }

    @Override
    public void close() {
        closeQuietly(directoryLoader);
    }

    private static URL[] jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("plugins directory " + dir.toAbsolutePath() + " does not exist or is "
                    + "not a directory");
        }
        List<URL> urls = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : entries) {
                if (Files.isRegularFile(jar)) {
                    urls.add(jar.toUri().toURL());
                }
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("cannot use a plugin jar in " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins directory " + dir + ": " + e.getMessage(), e);
        }
        urls.sort((a, b) -> a.toString().compareTo(b.toString()));
        return urls.toArray(new URL[0]);
    }

    private static void closeQuietly(URLClassLoader loader) {
        if (loader == null) {
            return;
        }
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("closing the plugin class loader failed", e);
        }
    }
}
