package io.courier.bench.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * One publisher, many members of one topic (a Courier room, a Redis channel, a NATS subject). The publisher sends
 * either as fast as the members keep up, with at most {@code window} messages not yet delivered to every member,
 * or at a fixed rate (then latency runs from each message's intended publish time, so a server that falls behind
 * shows it). Every delivery is checked per member: sequence numbers must arrive each once, in order, none missing.
 *
 * <p>Courier lets only members say something in a room and delivers to the sender too, so there the publisher is
 * one of the members and its own copy counts: every server then delivers each message to {@code members}
 * connections.
 */
final class FanoutTraffic implements Traffic {
    static final String TOPIC = "fanout";
    /** Messages the fixed-rate publisher may have undelivered before it waits (a server far behind). */
    private static final int RATE_CAPACITY = 1 << 16;

    private final int members;
    private final int window;
    private final double ratePerSecond;
    private final Payloads payloads;
    private final WireRecorder recorder;
    private final List<WireConnection> memberConnections = new ArrayList<>();
    private WireConnection publisher;
    private boolean[] isMember;
    private long[] expected;
    private int[] accounted;
    private long sent;
    private long done;
    private int acksDue;
    private boolean sending;
    private long startNanos;
    private int capacity;

    /** @param ratePerSecond messages per second, or 0 for as fast as the window allows */
    FanoutTraffic(int members, int window, double ratePerSecond, int payload, WireRecorder recorder) {
        this.members = members;
        this.window = window;
        this.ratePerSecond = ratePerSecond;
        this.payloads = new Payloads(payload);
        this.recorder = recorder;
    }

    @Override
    public int connections() {
        return members + 1; // with Courier the publisher is a member, and one connection stays unused
    }

    @Override
    public void setUp(List<WireConnection> all) {
        publisher = all.get(all.size() - 1);
        boolean publisherIsMember = publisher.codec.publisherReceives();
        int plain = publisherIsMember ? members - 1 : members;
        isMember = new boolean[all.size()];
        expected = new long[all.size()];
        for (int i = 0; i < plain; i++) {
            memberConnections.add(all.get(i));
        }
        if (publisherIsMember) {
            memberConnections.add(publisher);
        }
        for (WireConnection member : memberConnections) {
            isMember[member.index] = true;
            member.codec.subscribe(member.out, TOPIC, member == publisher ? "publisher" : "m" + member.index);
            acksDue++;
        }
        capacity = ratePerSecond > 0 ? RATE_CAPACITY : window;
        accounted = new int[capacity];
        sending = true;
    }

    @Override
    public boolean ready() {
        return acksDue == 0;
    }

    @Override
    public void tick(long now) {
        if (!sending || !publisher.open) {
            return;
        }
        if (startNanos == 0) {
            startNanos = now;
        }
        while (sent - done < capacity) {
            long at;
            if (ratePerSecond > 0) {
                at = startNanos + (long) (sent * 1e9 / ratePerSecond);
                if (at > now) {
                    return;
                }
            } else {
                at = now;
            }
            publisher.codec.publish(publisher.out, TOPIC, payloads.stamp(sent, at));
            sent++;
            recorder.sent();
        }
    }

    @Override
    public long nanosUntilDue(long now) {
        if (ratePerSecond <= 0 || !sending || startNanos == 0) {
            return -1;
        }
        return Math.max(0, startNanos + (long) (sent * 1e9 / ratePerSecond) - now);
    }

    @Override
    public void stopSending() {
        sending = false;
    }

    @Override
    public boolean drained() {
        return done == sent;
    }

    @Override
    public void countLost() {
        for (WireConnection member : memberConnections) {
            recorder.lost += sent - expected[member.index];
        }
    }

    @Override
    public void onClosed(WireConnection connection) {
        if (connection == publisher) {
            sending = false;
        }
    }

    @Override
    public void onPong(WireConnection connection) {
        recorder.mismatched++;
        recorder.sample(connection + ": an unexpected pong");
    }

    @Override
    public void onData(WireConnection connection, byte[] bytes, int offset, int length) {
        long now = System.nanoTime();
        int i = connection.index;
        long seq = length == payloads.length() ? Payloads.seq(bytes, offset) : -1;
        if (!isMember[i] || seq < 0 || seq >= sent) {
            recorder.mismatched++;
            recorder.sample(connection + ": a delivery of " + length + " bytes, sequence " + seq
                    + (isMember[i] ? "" : ", to a connection that is no member"));
            return;
        }
        if (seq < expected[i]) {
            recorder.duplicated++;
            recorder.sample(connection + ": message " + seq + " again or out of order (next due " + expected[i] + ")");
            return;
        }
        if (seq > expected[i]) {
            recorder.lost += seq - expected[i];
            recorder.sample(connection + ": messages " + expected[i] + " to " + (seq - 1) + " missing");
            while (expected[i] < seq) {
                account(expected[i]++);
            }
        }
        expected[i] = seq + 1;
        account(seq);
        recorder.ok(Payloads.nanos(bytes, offset), now);
    }

    /** One member is done with message {@code seq}; a message every member is done with leaves the window. */
    private void account(long seq) {
        accounted[(int) (seq % capacity)]++;
        while (done < sent && accounted[(int) (done % capacity)] == memberConnections.size()) {
            accounted[(int) (done % capacity)] = 0;
            done++;
        }
    }

    @Override
    public void onAck(WireConnection connection) {
        // Publishing starts only once every subscription is confirmed, so acks before that are subscriptions and
        // later ones publish confirmations (Courier's say reply, Redis's receiver count).
        if (acksDue > 0) {
            acksDue--;
        }
    }

    @Override
    public void onError(WireConnection connection, String what) {
        recorder.errorReplies++;
        recorder.sample(connection + ": " + what);
    }
}
