package io.courier.server;

import io.courier.server.auth.TokenCommand;
import io.courier.server.config.ConfigLoader;
import io.courier.server.config.FileErrors;
import io.courier.server.config.Settings;
import io.courier.server.metrics.BuildInfo;
import io.courier.server.metrics.MetricsEndpoint;
import io.courier.server.service.ConfigCheck;
import io.courier.server.service.OsSignals;
import io.courier.server.service.PortFile;
import io.courier.server.service.Reloadable;
import io.courier.server.service.Reloads;
import io.courier.server.service.StartupChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code java -jar server.jar [options]}: starts the server and runs until SIGTERM or SIGINT, then stops
 * gracefully (no new connections, in-flight requests finish, every reply is written) and exits 0. A second signal
 * exits at once. SIGHUP reloads what can be reloaded ({@link Reloads}) and never stops the server. Exit code 2
 * means the configuration was wrong, 1 that the server could not start (a port in use) or failed.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("token")) {
            try {
                out.print(TokenCommand.run(List.of(args).subList(1, args.length)));
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
            out.print(ConfigLoader.help());
            return;
        }
        if (loaded.versionRequested()) {
            out.println("courier " + BuildInfo.version());
            return;
        }
        Settings settings = loaded.settings();
        if (loaded.checkOnly()) {
            System.exit(ConfigCheck.run(settings, () -> Server.builder().config(settings.server()).build(), out, err));
            return;
        }
        List<StartupChecks.Problem> problems = StartupChecks.paths(settings, true); // before logging: the log dir
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("courier: " + problem.sentence()));
            System.exit(problems.stream().allMatch(StartupChecks.Problem::environment) ? 1 : 2);
            return;
        }
        LoggingSetup.configure(settings); // before the first logger exists
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Courier {} starting (Java {}, pid {})", BuildInfo.version(), Runtime.version(),
                ProcessHandle.current().pid());
        // The hook point for reloading on SIGHUP: what can reload (certificates, users) registers here.
        Reloads reloads = new Reloads();
        handleSignal("HUP", reloads::reloadAll, log);

        Server server;
        try {
            server = Server.builder().config(settings.server()).build();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            log.error("Cannot start: {}", sentence(e));
            System.exit(2);
            return;
        }
        if (server.access() != null) {
            reloads.add(Reloadable.of("the users file " + server.access().file(), server.access()::reload));
        }
        if (server.tls() != null) {
            reloads.add(Reloadable.of("the TLS certificate, key and client CA", server.tls()::reload));
        }
        if (System.getProperty("logback.configurationFile") == null || settings.logDir() != null) {
            reloads.add(Reloadable.of("the log level", () -> LoggingSetup.reloadLevel(args, System.getenv())));
        }
        MetricsEndpoint metrics = null;
        if (settings.metricsPort() >= 0) {
            try {
                // Before the server accepts, so /readyz says "starting" rather than nothing at all.
                metrics = MetricsEndpoint.start(server, settings.metricsHost(), settings.metricsPort(),
                        settings.loopStallTimeout());
                log.info("Metrics at http://{}:{}/metrics, health at /healthz and /readyz", settings.metricsHost(),
                        metrics.port());
            } catch (IOException | RuntimeException e) {
                log.error("Cannot serve metrics on {}:{}: {}", settings.metricsHost(), settings.metricsPort(),
                        sentence(e));
                System.exit(1);
                return;
            }
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            log.error("Cannot start: {}", sentence(e));
            System.exit(1);
            return;
        }
        if (settings.portFile() != null) {
            try {
                PortFile.write(settings.portFile(), server.config().listeners(), server.localAddresses(),
                        metrics == null ? null : metrics.address());
            } catch (IOException e) {
                log.error("Cannot write the port file {}: {}", settings.portFile(), FileErrors.reason(e));
                server.close();
                System.exit(1);
                return;
            }
        }
        Thread stopper = new Thread(server::close, "courier-shutdown");
        installStopSignals(stopper, log);
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
    private static void installStopSignals(Thread stopper, Logger log) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            handleSignal(name, signal -> {
                if (stopping.getAndSet(true)) {
                    log.warn("Second SIG{}: exiting now without draining", signal);
                    LoggingSetup.flush(); // halt runs no shutdown hook: write the line out first
                    Runtime.getRuntime().halt(1);
                }
                log.info("SIG{} received: stopping gracefully (send it again to exit at once)", signal);
                stopper.start();
            }, log);
        }
    }

    private static void handleSignal(String name, Consumer<String> action, Logger log) {
        String failure = OsSignals.handle(name, action);
        if (failure != null) {
            log.warn("{}", failure);
        }
    }

    /** One sentence for a start-up failure: the exception's message, never "null" or a class name alone. */
    static String sentence(Throwable e) {
        if (e instanceof UnresolvedAddressException) {
            return "the host name does not resolve to an address";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank() || message.endsWith(": null")) {
            Throwable cause = e.getCause();
            String reason = cause != null && cause != e ? sentence(cause) : e.getClass().getSimpleName();
            return message == null || message.isBlank() ? reason
                    : message.substring(0, message.length() - "null".length()) + reason;
        }
        return message;
    }
}
