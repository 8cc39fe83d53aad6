package io.courier.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Message;

import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Judges each message a connection receives: matched by id against the connection's {@link InFlightWindow},
 * {@code ok} checked, and for {@code echo} the contents (type, template fields, the filler, body length and CRC32);
 * for {@code ping}, that {@code time} is a number. For other types only type, id and ok are checked.
 *
 * <p>One per client thread (it keeps a CRC32 to reuse).
 */
final class ReplyVerifier {

    /** What a received message turned out to be. */
    enum Kind {
        /** The correct reply to an outstanding request. */
        OK,
        /** A reply to an outstanding request, but with wrong contents (the request counts as answered). */
        MISMATCHED,
        /** {@code ok:false}; with a known id it answers that request, without one it answers none. */
        ERROR_REPLY,
        /** A second reply to an id already answered. */
        DUPLICATE,
        /** An id this connection never sent (or none, or not a number). */
        UNKNOWN_ID,
        /** A server event: no {@code ok} and no id. */
        EVENT
    }

    /**
     * The verdict on one message.
     *
     * @param startNanos the matched request's start time, or -1 when it matched none
     * @param detail     what was wrong, in words (null when nothing was), or the error code of an error reply
     */
    record Verdict(Kind kind, long startNanos, String detail) {
        boolean answersRequest() {
            return startNanos >= 0 && kind != Kind.DUPLICATE && kind != Kind.UNKNOWN_ID;
        }
    }

    private final RequestFactory requests;
    private final CRC32 crc = new CRC32();

    ReplyVerifier(RequestFactory requests) {
        this.requests = requests;
    }

    Verdict verify(Message reply, InFlightWindow window) {
        JsonNode idNode = reply.id();
        if (idNode == null) {
            if (!reply.isReply()) {
                return new Verdict(Kind.EVENT, -1, null);
            }
            if (!reply.isOk()) {
                return new Verdict(Kind.ERROR_REPLY, -1, errorDetail(reply));
            }
            return new Verdict(Kind.UNKNOWN_ID, -1, "a reply without an id: " + abbreviate(reply));
        }
        if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
            return new Verdict(Kind.UNKNOWN_ID, -1, "id " + idNode + " is not one this client sent: "
                    + abbreviate(reply));
        }
        long id = idNode.longValue();
        switch (window.state(id)) {
            case NEVER_SENT:
                return new Verdict(Kind.UNKNOWN_ID, -1, "id " + id + " was never sent on this connection (next id "
                        + window.nextId() + "): " + abbreviate(reply));
            case ANSWERED:
                return new Verdict(Kind.DUPLICATE, -1, "id " + id + " was answered twice");
            default:
                break;
        }
        long start = window.complete(id);
        if (!reply.isReply()) {
            return new Verdict(Kind.MISMATCHED, start, "id " + id + ": the reply has no \"ok\" field");
        }
        if (!reply.isOk()) {
            return new Verdict(Kind.ERROR_REPLY, start, errorDetail(reply));
        }
        String problem = contentProblem(reply, id);
        return problem == null ? new Verdict(Kind.OK, start, null)
                : new Verdict(Kind.MISMATCHED, start, "id " + id + ": " + problem);
    }

    /** What is wrong with a successful reply's contents, or null. */
    private String contentProblem(Message reply, long id) {
        if (!requests.type().equals(reply.type())) {
            return "type " + reply.type() + " instead of " + requests.type();
        }
        if ("ping".equals(requests.type())) {
            return reply.header().path("time").isNumber() ? null : "a ping reply without a numeric \"time\"";
        }
        if (!"echo".equals(requests.type())) {
            return null;
        }
        String filler = requests.filler();
        if (filler != null && !filler.equals(reply.textField(RequestFactory.FILLER_FIELD))) {
            return "the \"" + RequestFactory.FILLER_FIELD + "\" field differs from the one sent";
        }
        for (Map.Entry<String, JsonNode> field : requests.template().properties()) { // builds the tree, if any
            if (!Objects.equals(field.getValue(), reply.header().get(field.getKey()))) {
                return "field \"" + field.getKey() + "\" is " + reply.header().get(field.getKey()) + ", sent "
                        + field.getValue();
            }
        }
        byte[] body = reply.body();
        if (body.length != requests.bodyLength()) {
            return "body of " + body.length + " bytes, sent " + requests.bodyLength();
        }
        if (body.length > 0) {
            crc.reset();
            crc.update(body, 0, body.length);
            long expected = requests.expectedBodyCrc(id);
            if (crc.getValue() != expected) {
                return String.format("body CRC32 %08x, sent %08x", crc.getValue(), expected);
            }
        }
        return null;
    }

    private static String errorDetail(Message reply) {
        String code = reply.errorCode();
        return code == null ? "(no code)" : code;
    }

    private static String abbreviate(Message message) {
        String text = message.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
