package io.courier.bench.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One server's protocol, as the neutral client needs it: a handful of commands and an incremental reader. One
 * instance per connection (the readers keep partial input).
 */
interface WireCodec {
    /** Sent once right after connecting (NATS {@code CONNECT}); nothing for the others. */
    void hello(OutBytes out);

    /** The smallest request that gets a reply. */
    void ping(OutBytes out);

    /**
     * A request whose reply carries {@code payload} back. NATS has no server-side echo: there the connection
     * publishes to {@code subject}, which it subscribed to with {@link #subscribe} first.
     */
    void echo(OutBytes out, String subject, byte[] payload);

    /** Whether {@link #echo} needs the connection subscribed to its subject first. */
    boolean echoNeedsSubscription();

    /** Joins {@code topic} as {@code member}; confirmed by one {@link WireEvents#ack}. */
    void subscribe(OutBytes out, String topic, String member);

    /** Publishes {@code payload} to {@code topic}; confirmed by one ack when {@link #publishAcks}. */
    void publish(OutBytes out, String topic, byte[] payload);

    boolean publishAcks();

    /**
     * Whether the publisher must be a member and so receives its own messages (Courier rooms: only members may
     * say, and every member gets every message, the sender included).
     */
    boolean publisherReceives();

    /** The answer to {@link WireEvents#serverPing}. */
    default void pongToServer(OutBytes out) {
    }

    /** Consumes every byte of {@code in}, reporting what it completes; keeps a partial command for next time. */
    void read(ByteBuffer in, WireEvents events) throws IOException;

    /** The codec for {@code courier}, {@code redis} or {@code nats}. */
    static WireCodec forProtocol(String protocol) {
        switch (protocol.toLowerCase(Locale.ROOT)) {
            case "courier":
                return new CourierCodec();
            case "redis":
                return new RespCodec();
            case "nats":
                return new NatsCodec();
            default:
                throw new IllegalArgumentException("unknown protocol '" + protocol + "'; choose courier, redis, nats");
        }
    }
}
