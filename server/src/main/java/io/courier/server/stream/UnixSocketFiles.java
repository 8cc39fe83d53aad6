package io.courier.server.stream;

import io.courier.server.config.ListenerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file side of Unix domain sockets: a socket file left behind by a crashed server is removed (only if nothing
 * answers on it), permissions are applied after bind, and the file is deleted at close.
 */
final class UnixSocketFiles {
    private static final Logger log = LoggerFactory.getLogger(UnixSocketFiles.class);

    private UnixSocketFiles() {
    }

    static ServerSocketChannel openAndBind(ListenerSpec spec) throws IOException {
        Path path = spec.path();
        removeIfStale(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), spec.options().backlog());
            if (spec.options().unixMode() != null) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(rwx(spec.options().unixMode())));
            }
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + spec + ": " + e.getMessage(), e);
        }
    }

    /** A socket file nobody accepts on is stale; a live one means another server owns the path. */
    private static void removeIfStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IOException(path + " exists and is not a socket; refusing to replace it");
        }
        boolean live;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            live = probe.isConnected(); // a connect that succeeds: someone is listening there
        } catch (IOException refused) {
            live = false;
        }
        if (live) {
            throw new IOException("another process is listening on unix:" + path);
        }
        log.info("Removing stale socket file {}", path);
        Files.delete(path);
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Cannot delete socket file {}: {}", path, e.getMessage());
        }
    }

    /** "660" to "rw-rw----". */
    private static String rwx(String octal) {
        StringBuilder text = new StringBuilder(9);
        for (char digit : octal.toCharArray()) {
            int bits = digit - '0';
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }
}
