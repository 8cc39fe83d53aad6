package io.courier.bench.wire;

import io.courier.protocol.units.Quantities;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The neutral client's options, {@code --name value} each.
 *
 * @param protocol    {@code courier}, {@code redis} or {@code nats}
 * @param traffic     {@code request-reply} or {@code fanout}
 * @param connections request-reply: connections
 * @param depth       request-reply: requests in flight per connection
 * @param payload     payload bytes (request-reply: 0 = ping, else echo of this many bytes)
 * @param members     fan-out: members receiving every message
 * @param window      fan-out: messages at most not yet delivered to every member
 * @param rate        fan-out: messages per second, 0 = as fast as the window allows
 */
record WireOptions(String protocol, String host, int port, String traffic, int connections, int depth, int payload,
                   int members, int window, double rate, Duration duration, Duration warmup, Path json) {

    private static final Set<String> NAMES = Set.of("protocol", "host", "port", "traffic", "connections", "depth",
            "payload", "members", "window", "rate", "duration", "warmup", "json");

    static WireOptions parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: '" + args[i] + "'; options: "
                        + NAMES);
            }
            o.put(name, args[++i]);
        }
        WireOptions options = new WireOptions(
                o.getOrDefault("protocol", "courier"),
                o.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(required(o, "port")),
                o.getOrDefault("traffic", "request-reply"),
                Integer.parseInt(o.getOrDefault("connections", "64")),
                Integer.parseInt(o.getOrDefault("depth", "16")),
                Integer.parseInt(o.getOrDefault("payload", "0")),
                Integer.parseInt(o.getOrDefault("members", "50")),
                Integer.parseInt(o.getOrDefault("window", "64")),
                Double.parseDouble(o.getOrDefault("rate", "0")),
                Quantities.duration("--duration", o.getOrDefault("duration", "10s")),
                Quantities.duration("--warmup", o.getOrDefault("warmup", "5s")),
                o.containsKey("json") ? Path.of(o.get("json")) : null);
        WireCodec.forProtocol(options.protocol); // refuses an unknown protocol now, not after connecting
        if (!options.traffic.equals("request-reply") && !options.traffic.equals("fanout")) {
            throw new IllegalArgumentException("--traffic is request-reply or fanout, got " + options.traffic);
        }
        return options;
    }

    boolean fanout() {
        return traffic.equals("fanout");
    }

    private static String required(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
