package io.courier.soak;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak room: a few members join and stay, taking turns to say numbered messages; now and then a passing
 * member joins, says two things and leaves (by {@code room.leave} or by hanging up). Every member's
 * {@code room.message}, {@code room.joined} and {@code room.left} events go to a {@link RoomLedger}, which checks
 * at the end that each staying member got every acknowledged message exactly once and in order.
 */
final class RoomTraffic {
    static final String ROOM = "soak";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final int ROUNDS_PER_PASSER = 40;

    private final RoomLedger ledger = new RoomLedger();
    private final Tally tally = new Tally();
    private final List<MessageClient> members = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final int port;
    private final Duration sayInterval;
    private final Thread driver;
    private volatile boolean stopping;

    private RoomTraffic(int port, Duration sayInterval) {
        this.port = port;
        this.sayInterval = sayInterval;
        this.driver = new Thread(this::drive, "soak-rooms");
        this.driver.setDaemon(true);
    }

    /** Connects and joins the staying members, then starts talking. */
    static RoomTraffic start(SoakConfig config, int port) throws IOException {
        RoomTraffic traffic = new RoomTraffic(port, config.sayInterval());
        try {
            for (int i = 0; i < config.roomMembers(); i++) {
                String name = "member-" + i;
                traffic.members.add(traffic.join(name, i % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT));
                traffic.names.add(name);
            }
        } catch (IOException | RuntimeException e) {
            traffic.closeAll();
            throw e;
        }
        traffic.driver.start();
        return traffic;
    }

    private MessageClient join(String name, Framing framing) throws IOException {
        MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port), framing, CALL_TIMEOUT);
        client.onEvent(event -> onEvent(name, event));
        Message reply = call(client, Message.of("room.join").with("room", ROOM).with("name", name));
        if (!reply.isOk()) {
            client.close();
            throw new IOException(name + " could not join: " + reply);
        }
        return client;
    }

    private void onEvent(String member, Message event) {
        String name = event.header().path("name").asText();
        switch (String.valueOf(event.type())) {
            case "room.message":
                ledger.received(member, name, event.header().path("seq").asLong());
                break;
            case "room.joined":
                ledger.joined(member, name);
                break;
            case "room.left":
                ledger.left(member, name);
                break;
            default:
                tally.problem("unexpected events", member + " got " + event);
        }
    }

    private void drive() {
        long[] seq = new long[members.size()];
        int passers = 0;
        for (long round = 1; !stopping; round++) {
            for (int i = 0; i < members.size() && !stopping; i++) {
                say(members.get(i), names.get(i), ++seq[i]);
            }
            if (round % ROUNDS_PER_PASSER == 0 && !stopping) {
                passThrough("passer-" + (++passers), passers % 2 == 0);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(sayInterval.toNanos());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void say(MessageClient client, String name, long seq) {
        try {
            Message reply = call(client, Message.of("room.say").with("room", ROOM).with("text", "message " + seq)
                    .with("seq", seq));
            if (reply.isOk() && reply.header().path("delivered").asInt() >= members.size()) {
                ledger.said(name, seq);
                tally.count("said");
            } else {
                tally.problem("failed says", name + "#" + seq + ": " + reply);
            }
        } catch (IOException e) {
            tally.problem("failed says", name + "#" + seq + ": " + e);
        }
    }

    /** A member that joins, says two things and goes: by room.leave, or by closing its connection. */
    private void passThrough(String name, boolean hangUp) {
        try (MessageClient passer = join(name, Framing.JSON_TEXT)) {
            say(passer, name, 1);
            say(passer, name, 2);
            if (!hangUp) {
                Message left = call(passer, Message.of("room.leave").with("room", ROOM));
                if (!left.isOk()) {
                    tally.problem("failed passers", name + " could not leave: " + left);
                }
            }
            ledger.passedThrough(name);
            tally.count("passers");
        } catch (IOException e) {
            tally.problem("failed passers", name + ": " + e);
        }
    }

    /** Stops talking, waits (bounded) for the last messages to arrive, checks the ledger and hangs up. */
    Workload finish(Duration timeout) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        driver.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        while (!ledger.settled(names) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        RoomLedger.Result r = ledger.verify(names);
        closeAll();
        List<String> samples = new ArrayList<>(tally.samples());
        samples.addAll(r.samples());
        long problems = r.problems() + tally.get("failed says") + tally.get("failed passers")
                + tally.get("unexpected events") + (driver.isAlive() ? 1 : 0);
        String detail = String.format(Locale.ROOT, "%d members, %d says acknowledged, %d passing members; %d of %d "
                        + "deliveries to the staying members; missing %d, duplicated %d, out of order %d, unknown %d, "
                        + "join/leave not seen %d", names.size(), tally.get("said"), tally.get("passers"),
                r.delivered(), r.expected(), r.missing(), r.duplicated(), r.reordered(), r.unknown(), r.presence());
        return new Workload("rooms", r.delivered(), problems, detail, samples);
    }

    private void closeAll() {
        for (MessageClient member : members) {
            try {
                member.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Message call(MessageClient client, Message request) throws IOException {
        try {
            return client.call(request, CALL_TIMEOUT);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
