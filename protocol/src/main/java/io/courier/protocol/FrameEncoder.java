package io.courier.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Encodes binary frames: the 8-byte length prefix, the JSON header, then the body: a small one copied next to the
 * header, a large one by reference (its array, or the pooled buffer it arrived in).
 */
final class FrameEncoder implements MessageEncoder {
    static final FrameEncoder INSTANCE = new FrameEncoder();

    /** Bodies at most this long are copied next to their header (one buffer); larger ones are shared. */
    static final int COPY_BODY_BELOW = 4096;

    private FrameEncoder() {
    }

    @Override
    public void encode(Message message, ByteSink sink) {
        PooledBody pooled = message.pooledBody();
        byte[] body = pooled == null ? message.body() : null;
        int bodyLength = pooled == null ? body.length : pooled.length();
        byte[] raw = message.rawHeader();
        if (raw != null) {
            // A lazy message: its header bytes go out as they came in, with "ok":true spliced in for a reply.
            int extra = message.prependsOk() ? Message.OK_FIELD.length : 0;
            sink.writeInt(raw.length + extra);
            sink.writeInt(bodyLength);
            if (extra == 0) {
                sink.write(raw, 0, raw.length);
            } else {
                int afterBrace = message.rawOpenBrace() + 1;
                sink.write(raw, 0, afterBrace);
                sink.write(Message.OK_FIELD, 0, extra);
                sink.write(raw, afterBrace, raw.length - afterBrace);
            }
        } else {
            byte[] header = headerBytes(message);
            sink.writeInt(header.length);
            sink.writeInt(bodyLength);
            sink.write(header, 0, header.length);
        }
        if (pooled != null) {
            message.sendingPooledBody();
            sink.writeBody(pooled); // last: nothing after it can fail and leave the sink holding it
        } else if (body.length <= COPY_BODY_BELOW) {
            sink.write(body, 0, body.length);
        } else {
            sink.writeShared(body);
        }
    }

    @Override
    public int encodedLength(Message message) {
        byte[] raw = message.rawHeader();
        if (raw == null) {
            return -1;
        }
        int ok = message.prependsOk() ? Message.OK_FIELD.length : 0;
        return FrameDecoder.PREFIX_BYTES + raw.length + ok + message.bodyLength();
    }

    static byte[] headerBytes(Message message) {
        try {
            return Json.MAPPER.writeValueAsBytes(message.header());
        } catch (JsonProcessingException e) {
            // A tree of Jackson nodes always serialises; this would be a Jackson bug.
            throw new IllegalStateException("cannot serialise header " + message.type(), e);
        }
    }
}
