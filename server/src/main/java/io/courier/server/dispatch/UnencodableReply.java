package io.courier.server.dispatch;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client gets instead of a message the encoder refused (a handler put a POJO node in its reply, say):
 * for a reply, one {@code handler_failed} error, so the request still gets exactly one answer; for an event,
 * nothing (nobody waits for it). Shared by every transport, so a stream and a datagram fail the same way.
 */
public final class UnencodableReply {
    private static final Logger log = LoggerFactory.getLogger(UnencodableReply.class);

    private UnencodableReply() {
    }

    /** Logs the failure and returns the stand-in to send, or null to send nothing. */
    public static Message standIn(Message message, Object where, RuntimeException cause) {
        log.error("{}: a '{}' message cannot be encoded", where, message.type(), cause);
        if (!message.isReply()) {
            return null;
        }
        return Message.error(message.type(), message.id(), ErrorCode.HANDLER_FAILED,
                "the handler for '" + message.type() + "' produced a reply the server cannot encode; the server "
                        + "logged the cause, and your connection stays open");
    }
}
