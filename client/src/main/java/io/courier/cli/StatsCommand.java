package io.courier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** {@code courier stats [--watch]}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Prints the server's counters (stats): connections, messages, bytes, event-loop lag, "
                + "errors by code, closes by reason.",
            "With --watch, again every second with the rates in between, until interrupted (Ctrl-C)."})
final class StatsCommand extends ServerCommand {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = {"-w", "--watch"}, description = "Refresh every second until interrupted.")
    boolean watch;

    @Override
    int run(MessageClient client) throws Exception {
        PrintStream out = io().out();
        ObjectNode before = null;
        long beforeNanos = 0;
        while (true) {
            ObjectNode now;
            try {
                now = client.callOk(Message.of("stats"), timeout()).header();
            } catch (IOException e) {
                if (watch && Thread.currentThread().isInterrupted()) {
                    return CourierCli.OK;
                }
                throw e;
            }
            long nowNanos = System.nanoTime();
            String view = StatsView.render(address(), now, before, nowNanos - beforeNanos);
            if (!watch) {
                out.print(view);
                out.flush();
                return CourierCli.OK;
            }
            // A terminal gets the view redrawn in place; a pipe or log gets one block after another.
            out.print(io().terminal().interactive() ? CLEAR_SCREEN + view : (before == null ? "" : "\n") + view);
            out.flush();
            before = now;
            beforeNanos = nowNanos;
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                // Interrupted (an embedding program's way of Ctrl-C): a normal end of watching.
                return CourierCli.OK;
            }
        }
    }
}
