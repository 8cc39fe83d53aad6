package io.courier.bench.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;

/** What {@link NettyFrameDecoder} passes down the pipeline: a request to answer, or a refusal to send. */
sealed interface NettyInbound permits NettyInbound.Request, NettyInbound.Refusal {

    /** A decoded request. The handler owns {@code body} (a retained slice of the inbound bytes) and releases it. */
    record Request(ObjectNode header, ByteBuf body) implements NettyInbound {
    }

    /**
     * An error reply the decoder produced. {@code text} means it goes out as one JSON line (the client never spoke
     * binary); {@code close} means the connection closes once it is written.
     */
    record Refusal(ObjectNode header, boolean text, boolean close) implements NettyInbound {
    }
}
