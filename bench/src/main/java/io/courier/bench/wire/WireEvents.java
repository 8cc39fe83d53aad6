package io.courier.bench.wire;

/**
 * What a codec found in a server's bytes, named by what it means to the benchmark rather than by protocol, so the
 * traffic and measurement code is one for every server.
 */
interface WireEvents {
    /** The answer to {@link WireCodec#ping}: Courier's ping reply, Redis {@code +PONG}, NATS {@code PONG}. */
    void pong();

    /**
     * A payload came back: an echo reply or a published message delivered to this subscriber. The bytes are valid
     * only during the call.
     */
    void data(byte[] bytes, int offset, int length);

    /** A subscription or publish was confirmed (Courier's join and say replies, Redis's subscribe and counts). */
    void ack();

    /** The server refused something. */
    void error(String what);

    /** The server pinged us (NATS does so now and then) and wants a {@code PONG}. */
    default void serverPing() {
    }
}
