package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link HeaderWriter#fieldsOf} copies a header's fields from its bytes, without its tree, and must write exactly
 * what the tree would: for every spelling a client may send (white space, escapes, numbers of every kind, nested
 * values), and for what it leaves to the tree (repeated names, escaped names, many fields, deep nesting).
 */
class HeaderWriterFieldsTest {
    /** Drops the routing fields and {@code drop}, puts a string in place of {@code swap}'s value. */
    private static final HeaderWriter.FieldRule RULE = new HeaderWriter.FieldRule() {
        @Override
        public boolean keeps(String name) {
            return !name.equals(Message.TYPE) && !name.equals(Message.ID) && !name.equals("drop");
        }

        @Override
        public String replacement(String name) {
            return name.equals("swap") ? "swapped ✓" : null;
        }
    };

    static List<String> headers() {
        List<String> headers = new ArrayList<>(List.of(
                "{\"type\":\"room.say\",\"id\":1,\"room\":\"r\",\"text\":\"hi\"}",
                " {\n\t\"type\" : \"a\" ,\r\n \"text\" :\"spaced\" , \"n\" : 12 }  ",
                "{\"type\":\"a\",\"s\":\"quote \\\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u0000 \\u001F \\u007f\"}",
                "{\"type\":\"a\",\"s\":\"\\u00e9 \\u65E5 \\ud83d\\ude00 é 日本 😀\"}",
                "{\"type\":\"a\",\"raw\":\"é ß 日本語 😀 𝄞\",\"swap\":[1,2],\"drop\":true}",
                "{\"type\":\"a\",\"z\":0,\"m\":-1,\"mz\":-0,\"big\":12345678901234567890123,\"l\":-9223372036854775808}",
                "{\"type\":\"a\",\"f\":1.0,\"g\":1.50,\"e\":1e5,\"E\":1E+2,\"nz\":-0.0,\"tiny\":1e-400,\"huge\":1e400}",
                "{\"type\":\"a\",\"t\":true,\"f\":false,\"n\":null}",
                "{\"type\":\"a\",\"o\":{ \"k\" : [ 1 , 2.5 , { } ] , \"k\" : \"second\" },\"a\":[ ],\"e\":{}}",
                "{\"type\":\"a\",\"id\":\"x\",\"dup\":1,\"other\":2,\"dup\":3}",
                "{\"type\":\"a\",\"t\\u0065xt\":\"escaped name\",\"text\":\"plain\"}",
                "{\"type\":\"a\",\"swap\":\"to be replaced\",\"swap2\":\"kept\"}",
                "{\"type\":\"a\"}",
                "{\"text\":\"type last\",\"x\":-3,\"type\":\"room.say\"}"));
        StringBuilder many = new StringBuilder("{\"type\":\"a\"");
        for (int i = 0; i < 40; i++) {
            many.append(",\"f").append(i).append("\":").append(i);
        }
        headers.add(many.append('}').toString());
        headers.add("{\"type\":\"a\",\"deep\":" + "[".repeat(70) + "1" + "]".repeat(70) + ",\"after\":1}");
        return headers;
    }

    @ParameterizedTest
    @MethodSource("headers")
    void aHeaderCopiedFromItsBytesIsWhatItsTreeGives(String json) {
        assertCopiedAsTheTree(json);
    }

    @Test
    void thousandsOfRandomHeadersAreCopiedAsTheirTrees() {
        Random random = new Random(20261203);
        String[] values = {"0", "7", "-0", "-12", "9007199254740993", "123456789012345678901234567890", "0.5",
                "-0.0", "2.50", "6.02e23", "1E-3", "true", "false", "null", "\"\"", "\"plain\"", "\"é😀\"",
                "\"a\\nb\"", "\"\\\"q\\\"\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "[]", "[1, \"x\" ,null]", "{}",
                "{ \"k\" : { \"k\" : 1 } }", "{\"k\":1,\"k\":2}"};
        String[] names = {"text", "room", "name", "n", "id", "drop", "swap", "é", "日本", "😀", "a b"};
        String[] spaces = {"", "", "", " ", "\n", " \t "};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder json = new StringBuilder(spaces[random.nextInt(spaces.length)]).append('{');
            int fields = random.nextInt(8);
            int typeAt = random.nextInt(fields + 1);
            for (int i = 0; i <= fields; i++) {
                if (i > 0) {
                    json.append(',');
                }
                if (i == typeAt) {
                    json.append("\"type\":\"room.say\"");
                    continue;
                }
                json.append(spaces[random.nextInt(spaces.length)]).append('"')
                        .append(names[random.nextInt(names.length)]).append('"')
                        .append(spaces[random.nextInt(spaces.length)]).append(':')
                        .append(spaces[random.nextInt(spaces.length)]).append(values[random.nextInt(values.length)])
                        .append(spaces[random.nextInt(spaces.length)]);
            }
            assertCopiedAsTheTree(json.append('}').toString());
        }
    }

    @Test
    void aPlainHeaderIsCopiedWithoutBuildingItsTree() {
        Message request = lazy("{\"type\":\"room.say\",\"id\":7,\"room\":\"r\",\"text\":\"a \\\"quoted\\\" word\"}");
        Message event = HeaderWriter.of("room.message").fieldsOf(request, RULE).message();
        assertEquals("{\"type\":\"room.message\",\"room\":\"r\",\"text\":\"a \\\"quoted\\\" word\"}", text(event));
        assertNotNull(request.rawHeader(), "the request is still lazy: no tree was built");
    }

    @Test
    void aLoneSurrogateEscapeGivesWhatTheTreeGives() {
        String json = "{\"type\":\"a\",\"s\":\"\\ud800 alone\"}";
        Class<? extends Throwable> treeFailure = failure(() -> HeaderWriter.of("e").fieldsOf(tree(json), RULE));
        Class<? extends Throwable> rawFailure = failure(() -> HeaderWriter.of("e").fieldsOf(lazy(json), RULE));
        assertEquals(treeFailure, rawFailure);
        if (treeFailure == null) {
            assertCopiedAsTheTree(json);
        }
        // Whatever happened, the thread's scratch is free again: the next header is whole.
        assertEquals("{\"type\":\"next\",\"k\":1}", text(HeaderWriter.of("next").field("k", 1).message()));
    }

    @Test
    void twoHeadersWrittenAtOnceOnOneThreadStayApart() {
        HeaderWriter outer = HeaderWriter.of("outer").field("a", "1");
        HeaderWriter inner = HeaderWriter.of("inner").field("b", "2");
        Message innerMessage = inner.field("c", "x".repeat(1000)).message();
        Message outerMessage = outer.field("d", "4").message();
        assertEquals("{\"type\":\"inner\",\"b\":\"2\",\"c\":\"" + "x".repeat(1000) + "\"}", text(innerMessage));
        assertEquals("{\"type\":\"outer\",\"a\":\"1\",\"d\":\"4\"}", text(outerMessage));
        assertThrows(NullPointerException.class, () -> outer.field("late", 1), "a writer is done after its message");
    }

    @Test
    void writersOnManyThreadsAtOnceWriteTheirOwnHeaders() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        String text = "t" + thread + "-" + i + "-" + "y".repeat(i % 300);
                        Message message = HeaderWriter.of("w").field("text", text).field("n", i).message();
                        assertEquals("{\"type\":\"w\",\"text\":\"" + text + "\",\"n\":" + i + "}", text(message));
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The copy from the bytes, the copy from the tree and Jackson's serialisation of the rule applied to the tree. */
    private static void assertCopiedAsTheTree(String json) {
        assertCopiedAsTheTree(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * For a valid header's bytes: the copy from the bytes is the copy from the tree, and both are Jackson's
     * serialisation of the rule applied to the tree; or both fail alike (a value Jackson cannot write). Also the
     * fuzz target's property ({@link HeaderScannerFuzzTest}).
     */
    static void assertCopiedAsTheTree(byte[] header) {
        String json = new String(header, StandardCharsets.UTF_8);
        String[] fromBytes = new String[1];
        Class<? extends Throwable> bytesFailure = failure(() -> fromBytes[0] =
                text(HeaderWriter.of("event").fieldsOf(lazy(header), RULE).field("seq", 1).message()));
        String[] fromTree = new String[1];
        Class<? extends Throwable> treeFailure = failure(() -> fromTree[0] =
                text(HeaderWriter.of("event").fieldsOf(tree(header), RULE).field("seq", 1).message()));
        assertEquals(treeFailure, bytesFailure, json);
        if (treeFailure != null) {
            return;
        }
        ObjectNode expected = Json.NODES.objectNode().put(Message.TYPE, "event");
        for (Map.Entry<String, JsonNode> field : tree(header).header().properties()) {
            String replacement = RULE.replacement(field.getKey());
            if (replacement != null) {
                expected.put(field.getKey(), replacement);
            } else if (RULE.keeps(field.getKey())) {
                expected.set(field.getKey(), field.getValue());
            }
        }
        expected.put("seq", 1);
        assertEquals(new String(FrameEncoder.headerBytes(new Message(expected)), StandardCharsets.UTF_8),
                fromTree[0], json);
        assertEquals(fromTree[0], fromBytes[0], json);
    }

    private static Message lazy(String json) {
        return lazy(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Message lazy(byte[] bytes) {
        try {
            return Message.lazy(bytes, HeaderScan.scan(bytes), null);
        } catch (ProtocolException e) {
            throw new AssertionError(new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static Message tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Message tree(byte[] bytes) {
        return new Message((ObjectNode) JsonTreeBuilder.parse(bytes));
    }

    /** The header's own bytes (the writer's), not its tree's serialisation. */
    private static String text(Message message) {
        return new String(message.rawHeader(), StandardCharsets.UTF_8);
    }

    private static Class<? extends Throwable> failure(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
