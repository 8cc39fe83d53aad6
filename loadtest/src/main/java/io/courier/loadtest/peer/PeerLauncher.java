package io.courier.loadtest.peer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The command line both peers share: {@code [--host H] [--port P]} (defaults 127.0.0.1 and 6667; port 0 picks a free
 * one). Once bound it prints {@code Listening on /127.0.0.1:PORT} on stdout, the line the benchmark suite waits for,
 * and runs until SIGTERM, SIGINT or the process being destroyed, which close the server from a shutdown hook.
 */
final class PeerLauncher {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 6667;

    /** Starts a peer on an address. */
    @FunctionalInterface
    interface Starter {
        PeerServer start(InetSocketAddress address) throws IOException, InterruptedException;
    }

    private PeerLauncher() {
    }

    /** Parses {@code args}, starts the server and blocks until the JVM is told to stop. Exits 2 on a bad command. */
    static void run(String name, String[] args, Starter starter) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        InetSocketAddress address;
        try {
            address = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println("usage: " + name + " [--host 127.0.0.1] [--port 6667]   (port 0 picks a free port)");
            System.exit(2);
            return;
        }
        if (address == null) {
            out.println("usage: " + name + " [--host 127.0.0.1] [--port 6667]   (port 0 picks a free port)");
            return;
        }
        PeerServer server;
        try {
            server = starter.start(address);
        } catch (IOException e) {
            System.err.println(name + ": cannot listen on " + address + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, name + "-shutdown"));
        out.println("Listening on " + server.localAddress());
        stopped.await();
    }

    /** The address to bind, or {@code null} when help was asked for. */
    static InetSocketAddress parse(String[] args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help":
                case "-h":
                    return null;
                case "--host":
                    host = value != null ? value : next(args, ++i, arg);
                    break;
                case "--port":
                    port = parsePort(value != null ? value : next(args, ++i, arg));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new InetSocketAddress(host, port);
    }

    private static String next(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + text);
        }
    }
}
