package io.courier.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;

/** Builds valid messages from fuzzer input, and the fuzzing settings the fuzz tests share. */
final class FuzzInput {
    /**
     * How long a fuzz test fuzzes when fuzzing is on ({@code JAZZER_FUZZ=1}) and nothing else says: the Maven
     * build passes its own {@code -max_total_time} (protocol/pom.xml). Without fuzzing, a fuzz test only replays
     * its stored inputs.
     */
    static final String MAX_DURATION = "10s";

    private FuzzInput() {
    }

    /** A message with a non-empty type, maybe an id, up to five other fields and a body of up to 5000 bytes. */
    static Message message(FuzzedDataProvider data) {
        ObjectNode header = Json.NODES.objectNode();
        String type = text(data, 12);
        header.put(Message.TYPE, type.isEmpty() ? "t" : type);
        switch (data.consumeInt(0, 3)) {
            case 0:
                header.put(Message.ID, data.consumeInt());
                break;
            case 1:
                header.put(Message.ID, text(data, 10));
                break;
            case 2:
                header.set(Message.ID, integer(BigInteger.valueOf(data.consumeLong())));
                break;
            default:
                break; // no id
        }
        for (int i = data.consumeInt(0, 5); i > 0; i--) {
            String name = text(data, 8);
            if (!name.equals(Message.TYPE) && !name.equals(Message.ID) && !name.equals(Message.BODY_BASE64)) {
                header.set(name, value(data, 0));
            }
        }
        return new Message(header, data.consumeBytes(data.consumeInt(0, 5000)));
    }

    /** A JSON value of the node kinds a decoder produces for what the encoders write. */
    private static JsonNode value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth >= 4 ? 6 : 8)) {
            case 0:
                return Json.NODES.textNode(text(data, 20));
            case 1:
                return Json.NODES.numberNode(data.consumeInt());
            case 2:
                return integer(BigInteger.valueOf(data.consumeLong()));
            case 3:
                return integer(BigInteger.valueOf(data.consumeLong()).shiftLeft(data.consumeInt(0, 200)));
            case 4:
                return Json.NODES.numberNode(data.consumeRegularDouble());
            case 5:
                return Json.NODES.booleanNode(data.consumeBoolean());
            case 6:
                return Json.NODES.nullNode();
            case 7:
                ArrayNode array = Json.NODES.arrayNode();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    array.add(value(data, depth + 1));
                }
                return array;
            default:
                ObjectNode object = Json.NODES.objectNode();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    object.set(text(data, 6), value(data, depth + 1));
                }
                return object;
        }
    }

    /** An integer node of the width a parser picks for it: int, long, or big. */
    private static JsonNode integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return Json.NODES.numberNode(value.intValue());
        }
        if (value.bitLength() < 64) {
            return Json.NODES.numberNode(value.longValue());
        }
        return Json.NODES.numberNode(value);
    }

    /** Any text that is valid Unicode: a lone surrogate (which no UTF-8 can carry) becomes U+FFFD. */
    private static String text(FuzzedDataProvider data, int maxLength) {
        String raw = data.consumeString(maxLength);
        StringBuilder text = new StringBuilder(raw.length());
        raw.codePoints().forEach(c -> text.appendCodePoint(Character.isSurrogate((char) c) && c < 0x10000
                ? 0xfffd : c));
        return text.toString();
    }
}
