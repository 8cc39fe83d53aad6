package io.courier.bench.peer;

import io.courier.harness.PortFile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The command line both peers share: {@code [--host H] [--port P] [--port-file FILE] [--tls-cert F --tls-key F]}
 * (defaults 127.0.0.1 and 6667; port 0 picks a free one). With a certificate and key a peer that speaks TLS serves a
 * second listener, TLS on a free port of the same host, beside the plain one. Once bound it prints
 * {@code Listening on /127.0.0.1:PORT} and, as Courier's server does, writes {@code tcp HOST:PORT} (and
 * {@code tls HOST:PORT}) to the port file ({@link PortFile}), which is how the benchmark suite finds it. It
 * runs until SIGTERM, SIGINT or the process being destroyed, which close the server from a shutdown hook.
 */
final class PeerLauncher {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 6667;

    private static final String USAGE = " [--host 127.0.0.1] [--port 6667] [--port-file FILE]"
            + " [--tls-cert FILE --tls-key FILE]   (port 0 picks a free port)";

    /**
     * What the command line asks for: where to listen, where to say where, and the TLS files (both null: no TLS).
     */
    record Command(InetSocketAddress address, Path portFile, Path tlsCert, Path tlsKey) {
        Command(InetSocketAddress address, Path portFile) {
            this(address, portFile, null, null);
        }

        boolean tls() {
            return tlsCert != null;
        }
    }

    /** Starts a peer as the command asks. */
    @FunctionalInterface
    interface Starter {
        PeerServer start(Command command) throws IOException, InterruptedException;
    }

    /** A starter for a peer that speaks plain TCP only: TLS options are refused. */
    static Starter plainOnly(PlainStarter plain) {
        return command -> {
            if (command.tls()) {
                throw new IllegalArgumentException("this peer does not speak TLS; --tls-cert and --tls-key are for"
                        + " the Netty peer");
            }
            return plain.start(command.address());
        };
    }

    /** Starts a plain peer on an address. */
    @FunctionalInterface
    interface PlainStarter {
        PeerServer start(InetSocketAddress address) throws IOException, InterruptedException;
    }

    private PeerLauncher() {
    }

    /** Parses {@code args}, starts the server and blocks until the JVM is told to stop. Exits 2 on a bad command. */
    static void run(String name, String[] args, Starter starter) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Command command;
        try {
            command = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println("usage: " + name + USAGE);
            System.exit(2);
            return;
        }
        if (command == null) {
            out.println("usage: " + name + USAGE);
            return;
        }
        PeerServer server;
        try {
            server = starter.start(command);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println(name + ": cannot listen on " + command.address() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, name + "-shutdown"));
        out.println("Listening on " + server.localAddress()
                + server.tlsAddress().map(tls -> ", TLS on " + tls).orElse(""));
        if (command.portFile() != null) {
            try {
                List<PortFile.Entry> listeners = new ArrayList<>();
                listeners.add(PortFile.entry("tcp", server.localAddress()));
                server.tlsAddress().ifPresent(tls -> listeners.add(PortFile.entry("tls", tls)));
                PortFile.write(command.portFile(), listeners);
            } catch (IOException e) {
                System.err.println(name + ": cannot write the port file " + command.portFile() + ": " + e);
                System.exit(1);
            }
        }
        stopped.await();
    }

    /** The address to bind and the port file, or {@code null} when help was asked for. */
    static Command parse(String[] args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Path portFile = null;
        Path tlsCert = null;
        Path tlsKey = null;
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
                case "--port-file":
                    portFile = Path.of(value != null ? value : next(args, ++i, arg));
                    break;
                case "--tls-cert":
                    tlsCert = Path.of(value != null ? value : next(args, ++i, arg));
                    break;
                case "--tls-key":
                    tlsKey = Path.of(value != null ? value : next(args, ++i, arg));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return new Command(new InetSocketAddress(host, port), portFile, tlsCert, tlsKey);
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
