package io.courier.server.stream;

import io.courier.server.dispatch.UnencodableReply;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;

/**
 * Encodes into a write queue so that a message that cannot be encoded (a handler put a POJO node in its reply,
 * say) costs one {@code handler_failed} reply, never a corrupt stream: the half-written bytes are taken back.
 */
final class SafeEncoding {
    /** Below this a copy into the member's chunk costs less than a buffer of its own in the gathering write. */
    private static final int SHARE_ABOVE = 4096;

    private SafeEncoding() {
    }

    /** Returns the message actually queued: {@code message}, its handler_failed stand-in, or null (an event). */
    static Message encode(MessageEncoder encoder, Message message, WriteQueue out, Object connection) {
        long queuedBefore = out.queuedBytes();
        try {
            if (message.isShared()) {
                queueShared(message.encodedOnce(encoder), out);
            } else {
                encoder.encode(message, out);
            }
            return message;
        } catch (RuntimeException e) {
            out.discardLast(out.queuedBytes() - queuedBefore);
            Message standIn = UnencodableReply.standIn(message, connection, e);
            if (standIn != null) {
                encoder.encode(standIn, out);
            }
            return standIn;
        }
    }

    /** A broadcast's bytes, encoded once for every member: small ones copied into the queue, large ones shared. */
    private static void queueShared(byte[] bytes, WriteQueue out) {
        if (bytes.length <= SHARE_ABOVE) {
            out.write(bytes, 0, bytes.length);
        } else {
            out.writeShared(bytes);
        }
    }
}
