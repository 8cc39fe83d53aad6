package io.courier.server.config;

import io.courier.server.tls.TlsSettings;

import java.nio.file.Files;

/**
 * The checks a configuration passes before a server may start, across options: each failure is one sentence naming
 * the option, the value and what is allowed (the command line prefixes the option with --).
 */
final class ConfigRules {
    private ConfigRules() {
    }

    static void check(ServerConfig.Builder b) {
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
        require(b.readBudgetBytes >= b.readBufferBytes,
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
        checkTls(b);
    }

    /** A tls: listener needs its key and certificate; TLS options without a tls: listener are a mistake. */
    private static void checkTls(ServerConfig.Builder b) {
        TlsSettings tls = b.tls();
        if (b.anyTlsListener()) {
            tls.check();
        } else {
            require(tls.isEmpty(), "tls-* options apply to tls: listeners only, and none is configured; add "
                    + "--listen tls:HOST:PORT or drop the TLS options");
        }
    }

    private static void require(boolean condition, String sentence) {
        if (!condition) {
            throw new IllegalArgumentException(sentence);
        }
    }
}
