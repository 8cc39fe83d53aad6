package io.courier.server;

import io.courier.server.service.PortFile;

import io.courier.server.auth.TokenCommand;
import io.courier.server.config.ConfigLoader;
import io.courier.server.config.Settings;
import io.courier.server.metrics.PrometheusEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar server.jar [options]}: starts the server and runs until SIGTERM or SIGINT, then stops
 * gracefully (no new connections, in-flight requests finish, every reply is written) and exits 0. A second signal
 * exits at once. Exit code 2 means the configuration was wrong, 1 that the server could not start or failed.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("token")) {
            try {
                new PrintStream(System.out, true, StandardCharsets.UTF_8)
                        .print(TokenCommand.run(java.util.List.of(args).subList(1, args.length)));
                return;
            } catch (IllegalArgumentException e) {
                err.println("courier: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        ConfigLoader.Result loaded;
        try {
            loaded = ConfigLoader.load(args, System.getenv());
        } catch (ConfigLoader.ConfigException e) {
            err.println("courier: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (loaded.helpRequested()) {
            new PrintStream(System.out, true, StandardCharsets.UTF_8).print(ConfigLoader.help());
            return;
        }
        Settings settings = loaded.settings();
        LoggingSetup.configure(settings); // before the first logger exists
        Logger log = LoggerFactory.getLogger(Main.class);

        Server server;
        try {
            server = Server.builder().config(settings.server()).build();
        } catch (IllegalArgumentException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            log.error("Cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        PrometheusEndpoint metrics = null;
        if (settings.metricsPort() >= 0) {
            try {
                metrics = PrometheusEndpoint.start(server::stats, settings.metricsHost(), settings.metricsPort());
                log.info("Prometheus metrics at http://{}:{}/metrics", settings.metricsHost(), metrics.port());
            } catch (IOException e) {
                log.error("Cannot serve metrics on {}:{}: {}", settings.metricsHost(), settings.metricsPort(),
                        e.getMessage());
                server.close();
                System.exit(1);
                return;
            }
        }
        if (settings.portFile() != null) {
            try {
                PortFile.write(settings.portFile(), server.config().listeners(), server.localAddresses(), metrics == null ? null
                        : new java.net.InetSocketAddress(settings.metricsHost(), metrics.port()));
            } catch (IOException e) {
                log.error("Cannot write the port file {}: {}", settings.portFile(), e.getMessage());
                server.close();
                System.exit(1);
                return;
            }
        }
        Thread stopper = new Thread(server::close, "courier-shutdown");
        installSignalHandlers(stopper, log);
        server.awaitTermination();
        if (stopper.isAlive() || server.isShuttingDown()) {
            stopper.join(); // let it finish (workers, plugins, the last log line) before the JVM goes
        }
        if (metrics != null) {
            metrics.close();
        }
        System.exit(server.isShuttingDown() ? 0 : 1);
    }

    /** The first SIGTERM or SIGINT starts {@code stopper}; a second one exits at once. */
    private static void installSignalHandlers(Thread stopper, Logger log) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.getAndSet(true)) {
                    log.warn("Second SIG{}: exiting now without draining", signal.getName());
                    Runtime.getRuntime().halt(1);
                }
                log.info("SIG{} received: stopping gracefully (send it again to exit at once)", signal.getName());
                stopper.start();
            });
        }
    }
}
