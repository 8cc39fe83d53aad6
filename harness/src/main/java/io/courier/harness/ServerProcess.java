package io.courier.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A server under test in its own JVM. The command starts it on port 0 with {@code --port-file FILE}; the bound
 * address is read from that file ({@link PortFile}) once the server has written it. Everything the server prints
 * goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {
    /** How often the launcher looks for the port file; a start takes hundreds of milliseconds at least. */
    private static final long POLL_MILLIS = 20;

    private final String label;
    private final Process process;
    private final ProcessOutput output;
    private final List<PortFile.Entry> listeners;
    private final InetSocketAddress address;

    private ServerProcess(String label, Process process, ProcessOutput output, List<PortFile.Entry> listeners,
                          InetSocketAddress address) {
        this.label = label;
        this.process = process;
        this.output = output;
        this.listeners = listeners;
        this.address = address;
    }

    /**
     * Starts {@code command} and waits until {@code portFile} (which the command must name with
     * {@code --port-file}) lists a {@code tcp} listener.
     *
     * @param label names the server in thread names and errors ({@code courier}, {@code netty})
     */
    public static ServerProcess start(String label, List<String> command, Path portFile, Path log,
                                      Duration startTimeout) throws IOException, InterruptedException {
        Files.deleteIfExists(portFile);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildProcesses.register(process);
        ProcessOutput output;
        try {
            output = ProcessOutput.start(process.getInputStream(), log, "harness-" + label + "-output", line -> {
            });
        } catch (IOException | RuntimeException e) {
            ChildProcesses.stop(process, 0);
            throw e;
        }
        String why;
        try {
            why = awaitPortFile(process, portFile, startTimeout);
            if (why == null) {
                List<PortFile.Entry> listeners = PortFile.read(portFile).orElseThrow();
                return new ServerProcess(label, process, output, listeners, PortFile.firstTcp(listeners)
                        .orElseThrow(() -> new IOException(portFile + " lists no tcp listener: " + listeners)));
            }
        } catch (IOException | RuntimeException e) {
            why = e.getMessage();
        }
        ChildProcesses.stop(process, 2000);
        output.awaitEnd(2000);
        throw new IOException(label + " server " + why + "; command: " + String.join(" ", command)
                + "\nlast output:\n" + output.tail());
    }

    /** {@code null} once the port file is there, else why the server never got that far. */
    private static String awaitPortFile(Process process, Path portFile, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(portFile)) {
            if (!process.isAlive()) {
                return "exited with code " + process.exitValue() + " before writing " + portFile;
            }
            if (System.nanoTime() - deadline > 0) {
                return "did not write " + portFile + " within " + timeout;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return null;
    }

    public String label() {
        return label;
    }

    /** The first tcp listener. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Every line of the port file: the listeners, and {@code metrics} when served. */
    public List<PortFile.Entry> listeners() {
        return listeners;
    }

    /** The metrics address, when the server serves metrics. */
    public Optional<InetSocketAddress> metrics() {
        return listeners.stream().filter(e -> e.kind().equals("metrics")).findFirst()
                .map(PortFile.Entry::inetAddress);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the server printed. */
    public String outputTail() {
        return output.tail();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 15 s) and returns its exit code. */
    public int stop() throws InterruptedException {
        int code = ChildProcesses.stop(process, 15_000);
        output.awaitEnd(2000);
        return code;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
