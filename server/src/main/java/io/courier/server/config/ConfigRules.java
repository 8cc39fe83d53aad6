package io.courier.server.config;

import io.courier.server.tls.TlsSettings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;

/**
 * The checks a configuration passes before a server may start, across options: each failure is one sentence naming
 * the option, the value and what is allowed (the command line prefixes the option with --).
 */
final class ConfigRules {
    private ConfigRules() {
    }

    static void check(ServerConfigBuilder b) {
        require(b.host != null && !b.host.isBlank(), "host must be an address or name, got '" + b.host + "'");
        require(b.port >= 0 && b.port <= 65535, "port must be 0..65535, got " + b.port);
        require(b.backlog >= 1, "backlog must be 1 or more, got " + b.backlog);
        require(b.maxConnections >= 1, "max-connections must be 1 or more, got " + b.maxConnections);
        require(b.idleTimeout != null && !b.idleTimeout.isNegative(),
                "idle-timeout must be 0 (never) or more, got " + b.idleTimeout);
        require(b.frameTimeout != null && !b.frameTimeout.isNegative(),
                "frame-timeout must be 0 (never) or more, got " + b.frameTimeout);
        require(b.readBufferBytes >= 1024 && b.readBufferBytes <= (64 << 20),
                "read-buffer-bytes must be 1024..67108864, got " + b.readBufferBytes);
        require(b.readBudgetBytes == 0 || b.readBudgetBytes >= b.readBufferBytes,
                "read-budget-bytes must be at least read-buffer-bytes " + b.readBufferBytes + ", got "
                        + b.readBudgetBytes);
        require(b.writeLowWatermark >= 0 && b.writeLowWatermark < b.writeHighWatermark,
                "write-low-watermark must be 0..write-high-watermark-1 (" + (b.writeHighWatermark - 1) + "), got "
                        + b.writeLowWatermark);
        require(b.slowConsumerBytes > b.writeHighWatermark,
                "slow-consumer-bytes must exceed write-high-watermark " + b.writeHighWatermark + ", got "
                        + b.slowConsumerBytes);
        require(b.workerThreads >= 1 && b.workerThreads <= 1024,
                "worker-threads must be 1..1024, got " + b.workerThreads);
        require(b.workerQueue >= 1, "worker-queue must be 1 or more, got " + b.workerQueue);
        require(b.maxInFlight >= 1, "max-in-flight must be 1 or more, got " + b.maxInFlight);
        require(b.acceptBatch >= 1, "accept-batch must be 1 or more, got " + b.acceptBatch);
        require(b.drainTimeout != null && !b.drainTimeout.isNegative(),
                "drain-timeout must be 0 or more, got " + b.drainTimeout);
        require(b.pluginsDir == null || Files.isDirectory(b.pluginsDir),
                "plugins must be a directory of plugin jars, got '" + b.pluginsDir + "', which is not one");
        ClientLimits limits = b.clientLimits;
        require(limits.maxRoomsPerConnection() >= 1, "max-rooms-per-connection must be 1 or more, got "
                + limits.maxRoomsPerConnection());
        require(limits.maxMembersPerRoom() >= 1, "max-members-per-room must be 1 or more, got "
                + limits.maxMembersPerRoom());
        require(limits.maxRooms() >= 1, "max-rooms must be 1 or more, got " + limits.maxRooms());
        require(limits.maxUploadsPerConnection() >= 1, "max-uploads-per-connection must be 1 or more, got "
                + limits.maxUploadsPerConnection());
        require(limits.maxBufferedBytes() == 0 || limits.maxBufferedBytes() >= (1 << 20),
                "max-buffered-bytes must be at least 1MiB (or 0 for a quarter of the heap), got "
                        + limits.maxBufferedBytes());
        RoomsConfig rooms = b.rooms;
        require(rooms.history() >= 0 && rooms.history() <= 1_000_000,
                "room-history must be 0 (off)..1000000, got " + rooms.history());
        require(rooms.historyBytes() >= 0, "room-history-bytes must be 0 or more, got " + rooms.historyBytes());
        require(rooms.clusterTimeout() != null && rooms.clusterTimeout().toMillis() >= 1000,
                "cluster-timeout must be at least 1s, got " + rooms.clusterTimeout());
        require(b.usersFile == null || Files.isRegularFile(b.usersFile),
                "users must be a users file, got '" + b.usersFile + "', which is not a file");
        checkTls(b);
        if (b.usersFile == null && !b.allowAnonymous) {
            for (ListenerSpec spec : b.resolveListeners(b.socketOptions())) {
                require(!exposed(spec), "listen " + spec + " can be reached from other machines, and without "
                        + "--users anyone who reaches it may read, write and delete every file and join every "
                        + "room; give --users FILE, or --allow-anonymous to serve it without authentication");
            }
        }
    }

    /** A tls: listener needs its key and certificate; TLS options without a tls: listener are a mistake. */
    private static void checkTls(ServerConfigBuilder b) {
        TlsSettings tls = b.tls();
        if (b.resolveListeners(b.socketOptions()).stream()
                .anyMatch(spec -> spec.transport() == ListenerSpec.Transport.TLS)) {
            tls.check();
        } else {
            require(tls.isEmpty(), "tls-* options apply to tls: listeners only, and none is configured; add "
                    + "--listen tls:HOST:PORT or drop the TLS options");
        }
    }

    /** A TCP or UDP listener on an address other than loopback; Unix sockets are local by nature. */
    private static boolean exposed(ListenerSpec spec) {
        if (spec.transport() == ListenerSpec.Transport.UNIX) {
            return false;
        }
        try {
            return !InetAddress.getByName(spec.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // binding it fails with its own clear sentence
        }
    }

    private static void require(boolean condition, String sentence) {
        if (!condition) {
            throw new IllegalArgumentException(sentence);
        }
    }
}
