package io.courier.server.config;

import io.courier.server.config.ServerConfig;

import java.nio.file.Path;
import java.time.Duration;

/** Everything one start of the service is configured with: the server itself plus logging and metrics. */
public final class Settings {
    final ServerConfigBuilder server = ServerConfig.builder();
    String logLevel = "INFO";
    Path logDir;
    int metricsPort = -1;
    String metricsHost = "127.0.0.1";
    Path portFile;
    Duration loopStallTimeout = Duration.ofSeconds(5);

    private ServerConfig built;

    /** The validated server configuration. */
    public ServerConfig server() {
        if (built == null) {
            built = server.build();
        }
        return built;
    }

    public String logLevel() {
        return logLevel;
    }

    /** The directory for the rolling log file, or null to log to the console only. */
    public Path logDir() {
        return logDir;
    }

    /** The Prometheus scrape port, or -1 when metrics over HTTP are off. */
    public int metricsPort() {
        return metricsPort;
    }

    public String metricsHost() {
        return metricsHost;
    }

    /** How long the event loop may go without turning before {@code /healthz} answers 503. */
    public Duration loopStallTimeout() {
        return loopStallTimeout;
    }

    /** Where to write the bound addresses once listening, or null. */
    public Path portFile() {
        return portFile;
    }
}
