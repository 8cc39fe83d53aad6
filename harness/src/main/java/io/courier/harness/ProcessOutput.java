package io.courier.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Drains a child process's output on its own thread (so the child never blocks on a full pipe): every line goes to
 * a log file and to the listeners; the last lines are kept for error messages.
 */
public final class ProcessOutput {
    private static final int TAIL_LINES = 30;

    private final Thread thread;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private ProcessOutput(InputStream output, Path log, String name) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        this.thread = new Thread(() -> pump(output, writer), name);
        this.thread.setDaemon(true);
    }

    /** Starts draining {@code output} into {@code log}; {@code listener} sees every line. */
    public static ProcessOutput start(InputStream output, Path log, String name, Consumer<String> listener)
            throws IOException {
        ProcessOutput pump = new ProcessOutput(output, log, name);
        pump.listeners.add(listener);
        pump.thread.start();
        return pump;
    }

    private void pump(InputStream output, Writer writer) {
        try (writer; BufferedReader reader = new BufferedReader(new InputStreamReader(output,
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.write('\n');
                writer.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                for (Consumer<String> listener : listeners) {
                    try {
                        listener.accept(line);
                    } catch (RuntimeException e) {
                        // a listener's bug must not stop the draining, or the child would block on its pipe
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what it printed is in the log
        }
    }

    /** The last lines printed, oldest first, for error messages. */
    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Waits for the output to end (after the process exited). */
    public void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
