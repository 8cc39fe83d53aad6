package io.courier.bench.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Limits;
import io.courier.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Binary frames ({@code u32 H | u32 B | header | body}) to {@link NettyInbound} messages, the idiomatic Netty way:
 * wait in the cumulation buffer until a whole frame is there, parse the header with Jackson straight from the
 * buffer, and hand the body on as a retained slice (no copy). A frame over a limit is skipped byte for byte and
 * refused with {@code too_large}; bytes that cannot be resynchronised are refused and the connection closes.
 */
final class NettyFrameDecoder extends ByteToMessageDecoder {
    private static final int PREFIX_BYTES = 8;

    private final Limits limits;
    private boolean firstByteSeen;
    private long skipRemaining;
    private boolean broken;

    NettyFrameDecoder(Limits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (skipRemaining > 0) {
            int skipped = (int) Math.min(skipRemaining, in.readableBytes());
            in.skipBytes(skipped);
            skipRemaining -= skipped;
            return; // ByteToMessageDecoder calls again while bytes remain
        }
        if (!firstByteSeen) {
            firstByteSeen = true;
            byte first = in.getByte(in.readerIndex());
            if (first != 0) {
                refuse(in, out, PeerReplies.unknownProtocol(first), true);
                return;
            }
        }
        if (in.readableBytes() < PREFIX_BYTES) {
            return;
        }
        int start = in.readerIndex();
        long headerLength = in.getUnsignedInt(start);
        long bodyLength = in.getUnsignedInt(start + 4);
        ProtocolException refused = PeerReplies.checkLengths(headerLength, bodyLength, limits.maxHeaderBytes(),
                limits.maxBodyBytes());
        if (refused != null) {
            in.skipBytes(PREFIX_BYTES);
            if (refused.inSync()) {
                skipRemaining = headerLength + bodyLength;
                out.add(new NettyInbound.Refusal(refused.toReply().header(), false, false));
            } else {
                refuse(in, out, refused.toReply().header(), false);
            }
            return;
        }
        if (in.readableBytes() < PREFIX_BYTES + headerLength + bodyLength) {
            return; // wait for the whole frame; ByteToMessageDecoder keeps the bytes
        }
        in.skipBytes(PREFIX_BYTES);
        try {
            ObjectNode header = parseHeader(in, (int) headerLength);
            ByteBuf body = bodyLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) bodyLength);
            out.add(new NettyInbound.Request(header, body));
        } catch (ProtocolException e) {
            if (e.inSync()) {
                in.skipBytes((int) bodyLength);
                out.add(new NettyInbound.Refusal(e.toReply().header(), false, false));
            } else {
                refuse(in, out, e.toReply().header(), false);
            }
        }
    }

    /** Reads {@code length} header bytes and parses them: heap buffers in place, direct ones through a stream. */
    private static ObjectNode parseHeader(ByteBuf in, int length) throws ProtocolException {
        int index = in.readerIndex();
        in.skipBytes(length);
        if (in.hasArray()) {
            return PeerReplies.parseHeader(in.array(), in.arrayOffset() + index, length);
        }
        return PeerReplies.parseHeader(new ByteBufInputStream(in.slice(index, length)));
    }

    /** Out of sync: drop everything from here on, send the error and close. */
    private void refuse(ByteBuf in, List<Object> out, ObjectNode error, boolean text) {
        broken = true;
        in.skipBytes(in.readableBytes());
        out.add(new NettyInbound.Refusal(error, text, true));
    }
}
