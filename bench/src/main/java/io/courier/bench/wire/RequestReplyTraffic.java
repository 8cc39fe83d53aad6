package io.courier.bench.wire;

import java.util.List;

/**
 * Closed-loop requests: every connection keeps {@code depth} requests in flight, sending the next as each reply
 * comes. With no payload the request is the protocol's ping; with one it is an echo of the payload (Courier
 * {@code echo} with a body, Redis {@code ECHO}, NATS a {@code PUB} to a subject the same connection subscribes to).
 * Every server answers a connection in order, so replies are matched first in, first out, and an echoed payload
 * must carry the sequence number expected next.
 */
final class RequestReplyTraffic implements Traffic {
    private final int connections;
    private final int depth;
    private final Payloads payloads;
    private final WireRecorder recorder;
    private List<WireConnection> open;
    private long[][] sendTimes;
    private int[] head;
    private int[] inFlight;
    private long[] nextSeq;
    private long[] expectedSeq;
    private int acksDue;
    private boolean sending;

    /** @param payload echoed payload bytes, or 0 for pings */
    RequestReplyTraffic(int connections, int depth, int payload, WireRecorder recorder) {
        this.connections = connections;
        this.depth = depth;
        this.payloads = payload > 0 ? new Payloads(payload) : null;
        this.recorder = recorder;
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public void setUp(List<WireConnection> all) {
        open = all;
        sendTimes = new long[all.size()][depth];
        head = new int[all.size()];
        inFlight = new int[all.size()];
        nextSeq = new long[all.size()];
        expectedSeq = new long[all.size()];
        for (WireConnection connection : all) {
            if (payloads != null && connection.codec.echoNeedsSubscription()) {
                connection.codec.subscribe(connection.out, subject(connection), "echo");
                acksDue++;
            }
        }
        sending = true;
    }

    private static String subject(WireConnection connection) {
        return "echo." + connection.index;
    }

    @Override
    public boolean ready() {
        return acksDue == 0;
    }

    @Override
    public void tick(long now) {
        if (!sending) {
            return;
        }
        for (WireConnection connection : open) {
            while (connection.open && inFlight[connection.index] < depth) {
                send(connection, now);
            }
        }
    }

    private void send(WireConnection connection, long now) {
        int i = connection.index;
        if (payloads == null) {
            connection.codec.ping(connection.out);
        } else {
            connection.codec.echo(connection.out, subject(connection), payloads.stamp(nextSeq[i], now));
        }
        nextSeq[i]++;
        sendTimes[i][(head[i] + inFlight[i]) % depth] = now;
        inFlight[i]++;
        recorder.sent();
    }

    @Override
    public long nanosUntilDue(long now) {
        return -1;
    }

    @Override
    public void stopSending() {
        sending = false;
    }

    @Override
    public boolean drained() {
        for (WireConnection connection : open) {
            if (connection.open && inFlight[connection.index] > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void countLost() {
        for (WireConnection connection : open) {
            recorder.lost += inFlight[connection.index];
            inFlight[connection.index] = 0;
        }
    }

    @Override
    public void onClosed(WireConnection connection) {
        recorder.lost += inFlight[connection.index];
        inFlight[connection.index] = 0;
    }

    @Override
    public void onPong(WireConnection connection) {
        if (payloads != null) {
            recorder.mismatched++;
            recorder.sample(connection + ": a pong where an echo was due");
            return;
        }
        answered(connection, System.nanoTime());
    }

    @Override
    public void onData(WireConnection connection, byte[] bytes, int offset, int length) {
        int i = connection.index;
        if (payloads == null || length != payloads.length()) {
            recorder.mismatched++;
            recorder.sample(connection + ": a payload of " + length + " bytes where "
                    + (payloads == null ? "a pong" : payloads.length() + " bytes") + " was due");
            return;
        }
        long seq = Payloads.seq(bytes, offset);
        if (seq != expectedSeq[i]) {
            recorder.mismatched++;
            recorder.sample(connection + ": echo " + seq + " where " + expectedSeq[i] + " was due");
        }
        expectedSeq[i] = seq + 1;
        answered(connection, System.nanoTime());
    }

    private void answered(WireConnection connection, long now) {
        int i = connection.index;
        if (inFlight[i] == 0) {
            recorder.duplicated++;
            recorder.sample(connection + ": a reply with nothing in flight");
            return;
        }
        long sentAt = sendTimes[i][head[i]];
        head[i] = (head[i] + 1) % depth;
        inFlight[i]--;
        recorder.ok(sentAt, now);
        if (sending) {
            send(connection, now);
        }
    }

    @Override
    public void onAck(WireConnection connection) {
        if (acksDue > 0) {
            acksDue--;
        }
    }

    @Override
    public void onError(WireConnection connection, String what) {
        recorder.errorReplies++;
        recorder.sample(connection + ": " + what);
        int i = connection.index;
        if (inFlight[i] > 0) { // an error reply answers one request
            head[i] = (head[i] + 1) % depth;
            inFlight[i]--;
            expectedSeq[i]++;
        }
    }
}
