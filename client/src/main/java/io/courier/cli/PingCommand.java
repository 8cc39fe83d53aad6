package io.courier.cli;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code courier ping}: the round-trip time of a ping. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Prints the round-trip time of a ping (after one untimed ping that pays for connecting and "
                + "warming up).")
final class PingCommand extends ServerCommand {
    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "1",
            description = "Pings to time, one after another (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    void validate() {
        if (count < 1) {
            throw usage("--count must be at least 1, got " + count);
        }
    }

    @Override
    int run(MessageClient client) throws Exception {
        client.callOk(Message.of("ping"), timeout());
        double best = Double.MAX_VALUE;
        double total = 0;
        double worst = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Message pong = client.callOk(Message.of("ping"), timeout());
            double millis = (System.nanoTime() - start) / 1e6;
            best = Math.min(best, millis);
            worst = Math.max(worst, millis);
            total += millis;
            io().out().println("pong from " + address() + ": " + Format.millis(millis) + " (server clock "
                    + Format.time(pong.header().path("time").asLong()) + ")");
        }
        if (count > 1) {
            io().out().println(count + " pings: min " + Format.millis(best) + ", avg " + Format.millis(total / count)
                    + ", max " + Format.millis(worst));
        }
        return CourierCli.OK;
    }
}
