package io.courier.bench.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Answers {@link NettyInbound} messages. Replies are only {@code write}n as requests arrive and flushed once per
 * read batch in {@link #channelReadComplete}, so a pipelining client gets its replies in one gathering write. The
 * reply's prefix and JSON header are serialised straight into one pooled buffer; an echoed body up to
 * {@link #COPY_BODY_BELOW} bytes is copied next to them, a larger one goes out as the retained slice of the request
 * bytes (no copy). When the outbound buffer passes its high watermark, reading stops until it drains.
 */
@ChannelHandler.Sharable
final class NettyPeerHandler extends ChannelInboundHandlerAdapter {
    static final NettyPeerHandler INSTANCE = new NettyPeerHandler();

    private static final int COPY_BODY_BELOW = 2048;
    private static final int PREFIX_BYTES = 8;

    private NettyPeerHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        if (msg instanceof NettyInbound.Request) {
            NettyInbound.Request request = (NettyInbound.Request) msg;
            ByteBuf body = request.body();
            try {
                boolean echo = PeerReplies.echoesBody(request.header());
                ObjectNode reply = PeerReplies.reply(request.header());
                if (echo) {
                    writeFrame(ctx, reply, body.retain());
                } else {
                    writeFrame(ctx, reply, null);
                }
            } finally {
                body.release();
            }
        } else if (msg instanceof NettyInbound.Refusal) {
            NettyInbound.Refusal refusal = (NettyInbound.Refusal) msg;
            if (refusal.text()) {
                ByteBuf line = ctx.alloc().ioBuffer().writeBytes(PeerReplies.toTextLine(refusal.header()));
                ctx.write(line, ctx.voidPromise());
            } else {
                writeFrame(ctx, refusal.header(), null);
            }
            if (refusal.close()) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** Writes (without flushing) one frame; takes ownership of {@code body} when it is not null. */
    private static void writeFrame(ChannelHandlerContext ctx, ObjectNode header, ByteBuf body) throws IOException {
        int bodyLength = body == null ? 0 : body.readableBytes();
        boolean copyBody = bodyLength > 0 && bodyLength <= COPY_BODY_BELOW;
        ByteBuf frame = ctx.alloc().ioBuffer(256 + (copyBody ? bodyLength : 0));
        try {
            int start = frame.writerIndex();
            frame.writeZero(PREFIX_BYTES);
            try (OutputStream stream = new ByteBufOutputStream(frame)) {
                PeerReplies.HEADER_WRITER.writeValue(stream, header);
            }
            frame.setInt(start, frame.writerIndex() - start - PREFIX_BYTES);
            frame.setInt(start + 4, bodyLength);
            if (copyBody) {
                frame.writeBytes(body, body.readerIndex(), bodyLength);
            }
        } catch (IOException | RuntimeException e) {
            frame.release();
            if (body != null) {
                body.release();
            }
            throw e;
        }
        ctx.write(frame, ctx.voidPromise());
        if (body != null) {
            if (copyBody || bodyLength == 0) {
                body.release();
            } else {
                ctx.write(body, ctx.voidPromise());
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Backpressure: a client that does not read its replies stops being read until they drain.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        if (!ctx.channel().isWritable()) {
            ctx.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are the client's business; a peer under load test just drops the connection.
        ctx.close();
    }
}
