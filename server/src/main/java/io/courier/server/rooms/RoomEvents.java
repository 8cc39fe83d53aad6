package io.courier.server.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.HeaderWriter;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.api.RequestException;

import java.util.List;

/** The room.* events and replies as PROTOCOL.md shapes them, and the errors the room types share. */
public final class RoomEvents {
    public static final String MESSAGE = "room.message";
    public static final String JOINED = "room.joined";
    public static final String LEFT = "room.left";

    private RoomEvents() {
    }

    /**
     * The header of the {@code room.message} a {@code room.say} becomes, without its {@code seq} and {@code epoch}:
     * the request's own fields except the reserved ones, with {@code room}, {@code text} and the speaker's name.
     */
    public static ObjectNode messageHeader(Message request, String room, String name) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(Message.TYPE, MESSAGE);
        request.header().properties().forEach(field -> {
            if (!isReserved(field.getKey())) {
                header.set(field.getKey(), field.getValue());
            }
        });
        header.put("room", room);
        header.put("name", name);
        return header;
    }

    /** The {@code room.message} itself: the header numbered with its seq and epoch, and the body. */
    public static Message message(ObjectNode header, long seq, String epoch, byte[] body) {
        header.put("seq", seq);
        header.put("epoch", epoch);
        return new Message(header, body);
    }

    /**
     * The same {@code room.message} as {@code message(messageHeader(request, room, name), seq, epoch, body)}, byte
     * for byte, written without a tree ({@link HeaderWriter}): the request's fields in their order, {@code room}
     * and {@code name} replaced where the request had them (as a tree's put would), else after them. A request
     * from a binary frame is copied from its bytes: its tree is never built.
     */
    public static Message messageEvent(Message request, String room, String name, long seq, String epoch,
                                       byte[] body) {
        SpeakerFields fields = new SpeakerFields(room, name);
        HeaderWriter writer = HeaderWriter.of(MESSAGE).fieldsOf(request, fields);
        if (!fields.roomWritten) {
            writer.field("room", room);
        }
        if (!fields.nameWritten) {
            writer.field("name", name);
        }
        return writer.field("seq", seq).field("epoch", epoch).message(body);
    }

    /** A {@code room.say}'s fields as its {@code room.message} has them: the reserved ones dropped, two replaced. */
    private static final class SpeakerFields implements HeaderWriter.FieldRule {
        private final String room;
        private final String name;
        boolean roomWritten;
        boolean nameWritten;

        SpeakerFields(String room, String name) {
            this.room = room;
            this.name = name;
        }

        @Override
        public boolean keeps(String field) {
            return !isReserved(field);
        }

        @Override
        public String replacement(String field) {
            if (field.equals("room")) {
                roomWritten = true;
                return room;
            }
            if (field.equals("name")) {
                nameWritten = true;
                return name;
            }
            return null;
        }
    }

    private static boolean isReserved(String field) {
        return field.equals(Message.TYPE) || field.equals(Message.ID) || field.equals(Message.OK)
                || field.equals(Message.ERROR) || field.equals(Message.BODY_BASE64) || field.equals("seq")
                || field.equals("epoch");
    }

    public static Message joined(String room, String name) {
        return HeaderWriter.of(JOINED).field("room", room).field("name", name).message();
    }

    public static Message left(String room, String name, String reason) {
        return HeaderWriter.of(LEFT).field("room", room).field("name", name).field("reason", reason).message();
    }

    /** The {@code room.join} reply; {@code recovered} is null when the request gave no {@code since}. */
    public static Message joinReply(Message request, String room, String name, List<String> members, long seq,
                                    String epoch, Boolean recovered) {
        HeaderWriter reply = HeaderWriter.replyTo(request).field("room", room).field("name", name)
                .field("members", members).field("seq", seq).field("epoch", epoch);
        return (recovered == null ? reply : reply.field("recovered", recovered.booleanValue())).message();
    }

    public static Message sayReply(Message request, String room, int delivered) {
        return HeaderWriter.replyTo(request).field("room", room).field("delivered", delivered).message();
    }

    public static RequestException notMember(String room) {
        return RequestException.badRequest("you are not in room \"" + room + "\"; join it first with room.join")
                .with("room", room);
    }

    public static RequestException nameTaken(String room, String name) {
        return new RequestException(ErrorCode.CONFLICT, "the name \"" + name + "\" is taken in room \"" + room
                + "\"; choose another").with("room", room).with("name", name);
    }

    public static RequestException limit(String sentence, String option, int max, String room) {
        return new RequestException(ErrorCode.LIMIT_EXCEEDED, sentence).with("limit", option).with("max", max)
                .with("room", room);
    }

    public static RequestException roomFull(String room, int members, int max) {
        return limit("room \"" + room + "\" has " + members + " members, the most max-members-per-room allows",
                "max-members-per-room", max, room);
    }
}
