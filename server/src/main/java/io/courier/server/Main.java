package io.courier.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar server.jar [options]}: starts the server and runs until SIGTERM or SIGINT, then stops
 * gracefully (no new connections, every reply already produced is written) and exits 0. A second signal exits at
 * once. Exit code 2 means the command line was wrong, 1 that the server could not start or failed.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("courier: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            new PrintStream(System.out, true, StandardCharsets.UTF_8).print(CommandLine.help());
            return;
        }
        // Read by logback.xml; set before the first logger is created.
        System.setProperty("courier.log.level", parsed.logLevel());
        Logger log = LoggerFactory.getLogger(Main.class);

        Server server = Server.builder().config(parsed.config()).build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            log.error("Cannot start: {} (listening on {}:{})", e.getMessage(), parsed.config().host(),
                    parsed.config().port());
            System.exit(1);
            return;
        }
        installSignalHandlers(server, log);
        server.awaitTermination();
        System.exit(server.isShuttingDown() ? 0 : 1);
    }

    private static void installSignalHandlers(Server server, Logger log) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.getAndSet(true)) {
                    log.warn("Second SIG{}: exiting now without draining", signal.getName());
                    Runtime.getRuntime().halt(1);
                }
                log.info("SIG{} received: stopping gracefully (send it again to exit at once)", signal.getName());
                Thread stopper = new Thread(server::close, "courier-shutdown");
                stopper.start();
            });
        }
    }
}
