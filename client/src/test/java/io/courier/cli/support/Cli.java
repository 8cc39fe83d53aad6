package io.courier.cli.support;

import io.courier.cli.CourierCli;
import io.courier.cli.Io;
import io.courier.cli.Terminal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in this JVM, as {@code courier --port P ARGS...}, with captured streams and no System.exit. */
public final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    public record Result(int exit, String out, String err, byte[] outBytes) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** {@code courier --port PORT ARGS...} with empty standard input, not a terminal. */
    public static Result run(int port, String... args) {
        return run(Terminal.NONE, new ByteArrayInputStream(new byte[0]), withPort(port, args));
    }

    /** {@code courier ARGS...} exactly as given. */
    public static Result runRaw(String... args) {
        return run(Terminal.NONE, new ByteArrayInputStream(new byte[0]), args);
    }

    public static Result run(Terminal terminal, InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CourierCli.run(args, new Io(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }

    public static String[] withPort(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port)));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    /** Starts a run on its own thread, its standard input a pipe the test writes to, its output readable live. */
    public static Running start(Terminal terminal, String... args) throws IOException {
        return new Running(terminal, args);
    }

    /** A CLI run in progress (chat, stats --watch). */
    public static final class Running implements AutoCloseable {
        private final PipedOutputStream stdin = new PipedOutputStream();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Thread thread;

        private Running(Terminal terminal, String[] args) throws IOException {
            PipedInputStream in = new PipedInputStream(stdin, 64 * 1024);
            Io io = new Io(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
            thread = new Thread(() -> {
                try {
                    exit.complete(CourierCli.run(args, io));
                } catch (Throwable e) {
                    exit.completeExceptionally(e);
                }
            }, "cli-under-test");
            thread.setDaemon(true);
            thread.start();
        }

        /** Types a line on the CLI's standard input. */
        public void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Ends its standard input (Ctrl-D, or the end of a piped file). */
        public void endInput() throws IOException {
            stdin.close();
        }

        /** What it printed so far (ByteArrayOutputStream is synchronized: safe while it still prints). */
        public String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        public String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Interrupts it, as an embedding program would stop a command that runs until interrupted. */
        public void interrupt() {
            thread.interrupt();
        }

        public boolean isDone() {
            return exit.isDone();
        }

        public int awaitExit() throws Exception {
            return exit.get(LiveServer.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            stdin.close();
            thread.interrupt();
        }
    }
}
