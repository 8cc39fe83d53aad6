package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes into a write queue so that a message that cannot be encoded (a handler put a POJO node in its reply,
 * say) costs one {@code handler_failed} reply, never a corrupt stream: the half-written bytes are taken back.
 */
final class SafeEncoding {
    private static final Logger log = LoggerFactory.getLogger(SafeEncoding.class);

    private SafeEncoding() {
    }

    /** Returns the message actually queued: {@code message}, its handler_failed stand-in, or null (an event). */
    static Message encode(MessageEncoder encoder, Message message, WriteQueue out, Object connection) {
        long queuedBefore = out.queuedBytes();
        try {
            encoder.encode(message, out);
            return message;
        } catch (RuntimeException e) {
            out.discardLast(out.queuedBytes() - queuedBefore);
            log.error("{}: a '{}' message cannot be encoded", connection, message.type(), e);
            if (!message.isReply()) {
                return null; // an event: nobody waits for it, drop it
            }
            Message failed = Message.error(message.type(), message.id(), ErrorCode.HANDLER_FAILED,
                    "the handler for '" + message.type() + "' produced a reply the server cannot encode; the server "
                            + "logged the cause, and your connection stays open");
            encoder.encode(failed, out);
            return failed;
        }
    }
}
