package io.courier.bench.wire;

import java.util.List;

/**
 * What the client does on its connections: the shape of a scenario. The loop ({@link WireClient}) owns sockets and
 * time; a traffic writes commands into connections' {@link OutBytes} and judges what comes back, recording into
 * one {@link WireRecorder}, the same for every protocol.
 */
interface Traffic {
    /** How many connections to open. */
    int connections();

    /** Writes the set-up commands (subscriptions) once every connection is open. */
    void setUp(List<WireConnection> connections);

    /** True when the set-up is confirmed and traffic can start. */
    boolean ready();

    /** Sends what is due at {@code now} (called after every batch of events while sending). */
    void tick(long now);

    /** Nanoseconds until something is due by the clock (rate traffic), or -1 when only replies drive it. */
    long nanosUntilDue(long now);

    /** No more new requests or publishes from now on. */
    void stopSending();

    /** True when everything sent has been answered or delivered. */
    boolean drained();

    /** Counts what never came back, at the end. */
    void countLost();

    /** A connection closed under us. */
    void onClosed(WireConnection connection);

    void onPong(WireConnection connection);

    void onData(WireConnection connection, byte[] bytes, int offset, int length);

    void onAck(WireConnection connection);

    void onError(WireConnection connection, String what);
}
