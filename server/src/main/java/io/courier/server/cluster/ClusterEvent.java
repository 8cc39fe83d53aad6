package io.courier.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.rooms.RoomEvents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event on a room's channel, as the scripts publish it (see common.lua): {@code j\nINSTANCE\nNAME},
 * {@code l\nINSTANCE\nREASON\nNAME}, {@code m\nSEQ\nEPOCH\nHEADER-JSON\nBODY}. Names and reasons hold no control
 * characters and compact JSON holds no raw newline, so newlines delimit safely; the body is whatever remains.
 */
record ClusterEvent(char kind, String instance, String name, String reason, long seq, String epoch,
                    ObjectNode header, byte[] body) {

    static final String CHANNEL_PREFIX = "courier:room:";

    static String channel(String room) {
        return CHANNEL_PREFIX + room;
    }

    /** What a say hands the script: the message's header (without seq and epoch) and body. */
    static byte[] encodeMessage(ObjectNode header, byte[] body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128 + body.length);
            Json.MAPPER.writeValue(out, header);
            out.write('\n');
            out.write(body);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The room.message a published (or replayed) message payload stands for. */
    Message message() {
        return RoomEvents.message(header.deepCopy(), seq, epoch, body);
    }

    static ClusterEvent decode(byte[] payload) {
        char kind = payload.length == 0 ? '?' : (char) payload[0];
        int fields = kind == 'j' ? 2 : kind == 'l' ? 3 : kind == 'm' ? 4 : 0;
        int[] cuts = new int[fields];
        int found = 0;
        for (int i = 0; i < payload.length && found < fields; i++) {
            if (payload[i] == '\n') {
                cuts[found++] = i;
            }
        }
        if (fields == 0 || found < fields) {
            throw new IllegalArgumentException("not a Courier room event: " + preview(payload));
        }
        switch (kind) {
            case 'j':
                return new ClusterEvent('j', part(payload, cuts[0] + 1, cuts[1]), part(payload, cuts[1] + 1,
                        payload.length), null, 0, null, null, null);
            case 'l':
                return new ClusterEvent('l', part(payload, cuts[0] + 1, cuts[1]), part(payload, cuts[2] + 1,
                        payload.length), part(payload, cuts[1] + 1, cuts[2]), 0, null, null, null);
            case 'm':
                long seq = Long.parseLong(part(payload, cuts[0] + 1, cuts[1]));
                String epoch = part(payload, cuts[1] + 1, cuts[2]);
                JsonNode header = parse(payload, cuts[2] + 1, cuts[3]);
                return new ClusterEvent('m', null, null, null, seq, epoch, (ObjectNode) header,
                        Arrays.copyOfRange(payload, cuts[3] + 1, payload.length));
            default:
                throw new IllegalArgumentException("not a Courier room event: " + preview(payload));
        }
    }

    private static JsonNode parse(byte[] payload, int from, int to) {
        try {
            JsonNode node = Json.MAPPER.readTree(payload, from, to - from);
            if (!(node instanceof ObjectNode)) {
                throw new IllegalArgumentException("a room message's header is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("a room message's header is not JSON: " + e.getMessage(), e);
        }
    }

    private static String part(byte[] payload, int from, int to) {
        return new String(payload, from, to - from, StandardCharsets.UTF_8);
    }

    private static String preview(byte[] payload) {
        return new String(payload, 0, Math.min(40, payload.length), StandardCharsets.UTF_8);
    }
}
