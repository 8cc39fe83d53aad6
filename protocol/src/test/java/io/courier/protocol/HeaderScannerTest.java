package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.courier.protocol.Streams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owned header scanner against Jackson's path, which decides: whatever the scanner accepts, Jackson's path
 * accepts with the same type, id, ok and offset, and the headers clients send (with escapes, non-ASCII text,
 * nested values, numbers of every shape) do take the owned path, so it is not a scanner that gives up on everything.
 */
class HeaderScannerTest {
    private static final String[] FIELD_NAMES = {"type", "id", "ok", "text", "room", "name", "x", "ty\\u0070e",
        "i\\u0064", "\\u006fk", "é", "\\\"", ""};

    /** Bytes that matter to JSON, for the one-byte changes. */
    private static final String JSON_BYTES = " \t\n{}[]\":,\\-+.eE0123456789tfnulrsabu\u00ff\u0000";

    /** The property every input must keep; returns what the owned scanner said (null: left to Jackson). */
    static HeaderScan agreesWithJackson(byte[] bytes) {
        HeaderScan owned = HeaderScanner.scan(bytes);
        if (owned != null) {
            HeaderScan jackson;
            try {
                jackson = HeaderScan.parse(bytes);
            } catch (ProtocolException e) {
                throw new AssertionError("the owned scanner accepted what Jackson's path refuses ("
                        + e.getMessage() + "): " + show(bytes), e);
            }
            String what = show(bytes);
            assertEquals(jackson.type, owned.type, what);
            assertEquals(jackson.id, owned.id, what); // IntNode and LongNode differ: the node kind must match too
            assertEquals(jackson.id == null ? null : jackson.id.getClass(), owned.id == null ? null
                    : owned.id.getClass(), what);
            assertEquals(jackson.hasOk, owned.hasOk, what);
            assertEquals(jackson.openBrace, owned.openBrace, what);
            for (String name : new String[] {"type", "id", "ok", "text", "room", "é", "\"", ""}) {
                String text = HeaderScanner.findText(bytes, name);
                if (text != HeaderScanner.UNKNOWN) {
                    assertEquals(HeaderScan.parseText(bytes, name), text, name + " in " + what);
                }
            }
        }
        return owned;
    }

    @Test
    void theHeadersClientsSendTakeTheOwnedPathAndMatchJackson() {
        String[] headers = {
            "{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"id\":1}",
            "  {\"type\":\"echo\", \"id\":42,\n \"text\":\"你好 🌍\",\"n\":[1,2.5,null]} ",
            "{\"type\":\"room.say\",\"id\":\"a-7\",\"room\":\"lobby\",\"text\":\"he said \\\"hi\\\"\\n\\u00e9\\ud83d\\ude00\"}",
            "{\"id\":2147483647,\"type\":\"t\"}",
            "{\"id\":2147483648,\"type\":\"t\"}",
            "{\"id\":-2147483648,\"type\":\"t\"}",
            "{\"id\":-2147483649,\"type\":\"t\"}",
            "{\"id\":999999999999999999,\"type\":\"t\"}",
            "{\"id\":-0,\"type\":\"t\"}",
            "{\"id\":null,\"type\":\"t\"}",
            "{\"id\":true,\"type\":\"t\",\"ok\":false}",
            "{\"type\":\"t\",\"ok\":true,\"error\":{\"code\":\"bad_request\",\"options\":[\"a\",\"b\"]}}",
            "{\"type\":\"a\",\"type\":\"b\",\"id\":1,\"id\":\"two\"}",
            "{\"ty\\u0070e\":\"escaped name\",\"\\u006fk\":1}",
            "{\"type\":\"t\",\"f\":[-1.5e-3,0.0,1E+308,1e999,-0.5,123456789012345678901234567890]}",
            "{\"type\":\"t\",\"deep\":[[[[{\"a\":[{}]}]]]],\"e\":[],\"o\":{}}",
            "{\"type\":\"t\",\"s\":\"\\/\\b\\f\\r\\t\\\\\",\"u\":\"\\u0000\\uFFFF\\ud800\"}",
            "\t\r\n {\"type\":\"t\"}\t\r\n ",
        };
        for (String header : headers) {
            assertNotNull(agreesWithJackson(utf8(header)), header);
        }
    }

    @Test
    void whatJacksonRefusesOrTheScannerDoubtsIsLeftToJackson() {
        String[] refused = {
            "", " ", "{", "}", "[]", "\"type\"", "{}", "{\"type\":\"\"}", "{\"type\":1}", "{\"id\":1}",
            "{\"type\":\"t\",}", "{\"type\":\"t\"}{}", "{\"type\":\"t\"} x", "{\"type\" \"t\"}", "{type:\"t\"}",
            "{\"type\":\"t\",\"a\":01}", "{\"type\":\"t\",\"a\":1.}", "{\"type\":\"t\",\"a\":.5}", "{\"type\":\"t\",\"a\":-}",
            "{\"type\":\"t\",\"a\":1e}", "{\"type\":\"t\",\"a\":+1}", "{\"type\":\"t\",\"a\":truex}", "{\"type\":\"t\",\"a\":nul}",
            "{\"type\":\"t\",\"a\":[1,]}", "{\"type\":\"t\",\"a\":\"\\x\"}", "{\"type\":\"t\",\"a\":\"\\u12g4\"}",
            "{\"type\":\"t\",\"a\":\"tab\there\"}", "{\"type\":\"t\",\"a\":NaN}", "{\"type\":\"t\",\"a\":1e99999999999}",
            "{\"type\":\"t\"/*c*/}", "{'type':'t'}", "\ufeff{\"type\":\"t\"}", "{\"type\":\"t\",\"a\":1 2}",
            // Surrogate escapes in a field name: Jackson checks their pairing there, so the scanner leaves them.
            "{\"type\":\"t\",\"\\udddd\":1}", "{\"type\":\"t\",\"\\ud83d\\ude00\":1}",
        };
        for (String header : refused) {
            assertNull(agreesWithJackson(utf8(header)), header);
        }
        byte[][] notUtf8 = {
            {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xc0, (byte) 0x80, '"', '}'},
            {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'},
            {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'},
            {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xe4, (byte) 0xbd, '"', '}'},
            {0, '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 't', '"', '}'},
        };
        for (byte[] bytes : notUtf8) {
            assertNull(agreesWithJackson(bytes), show(bytes));
        }
    }

    @Test
    void nestingPastTheScannersDepthIsLeftToJackson() {
        String deep = "[".repeat(StrictJsonReader.MAX_DEPTH) + "]".repeat(StrictJsonReader.MAX_DEPTH);
        assertNull(agreesWithJackson(utf8("{\"type\":\"t\",\"a\":" + deep + "}")));
        String shallower = "[".repeat(StrictJsonReader.MAX_DEPTH - 1) + "]".repeat(StrictJsonReader.MAX_DEPTH - 1);
        assertNotNull(agreesWithJackson(utf8("{\"type\":\"t\",\"a\":" + shallower + "}")));
    }

    /**
     * Random headers from a small grammar, each then cut, extended or with one byte changed: many near misses of
     * valid JSON, which is where a scanner accepts too much. Seeded, so a failure repeats.
     */
    @Test
    void randomHeadersAndTheirNearMissesAgree() {
        Random random = new Random(12);
        int owned = 0;
        int valid = 0;
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = utf8(header(random));
            switch (random.nextInt(4)) {
                case 0:
                    break;
                case 1:
                    bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    break;
                case 2:
                    bytes[random.nextInt(bytes.length)] = (byte) JSON_BYTES.charAt(random.nextInt(JSON_BYTES.length()));
                    break;
                default:
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    break;
            }
            if (agreesWithJackson(bytes) != null) {
                owned++;
            }
            if (accepted(bytes)) {
                valid++;
            }
        }
        // What the owned path leaves to Jackson among valid headers: ids that are fractions, arrays or objects,
        // and types that are not strings. The rest it must take.
        assertTrue(owned > valid * 0.6, "the owned path took only " + owned + " of " + valid + " valid headers");
    }

    /** The fuzzers' stored inputs (frame streams and JSON text) as headers: no input the fuzzers found disagrees. */
    @Test
    void theStoredFuzzInputsAgree() throws IOException {
        Path inputs = Paths.get("src/test/resources/io/courier/protocol");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(inputs)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.size() > 100, "stored fuzz inputs: " + files.size());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            agreesWithJackson(bytes);
            for (int skip = 1; skip <= 12 && skip < bytes.length; skip++) {
                agreesWithJackson(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
            }
        }
    }

    private static String header(Random random) {
        StringBuilder out = new StringBuilder();
        out.append(space(random)).append('{');
        int fields = random.nextInt(5);
        boolean typed = false;
        for (int f = 0; f < fields || !typed; f++) {
            if (f > 0) {
                out.append(',');
            }
            String name = f == fields ? "type" : FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
            typed |= name.equals("type");
            out.append(space(random)).append('"').append(name).append('"').append(space(random)).append(':')
                    .append(space(random));
            value(random, out, name.equals("type") && random.nextInt(4) > 0 ? 0 : 3);
            out.append(space(random));
        }
        return out.append('}').append(space(random)).toString();
    }

    private static void value(Random random, StringBuilder out, int depth) {
        switch (depth == 0 ? 0 : random.nextInt(7)) {
            case 0:
                out.append('"').append(new String[] {"ping", "a b", "é", "🌍", "\\n", "\\\"", "\\u00e9", "\\ud83d\\ude00",
                    "\\ud800", "\\/", "", "x\\\\"}[random.nextInt(12)]).append('"');
                break;
            case 1:
                out.append(new String[] {"0", "-0", "7", "-12", "2147483648", "-2147483649", "99999999999999999",
                    "999999999999999999", "9999999999999999999", "1.5", "-0.25e-7", "1E+3", "6.02e23", "1e400"}
                        [random.nextInt(14)]);
                break;
            case 2:
                out.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
                break;
            case 3:
                out.append('[');
                for (int k = random.nextInt(3); k > 0; k--) {
                    value(random, out, depth - 1);
                    out.append(k > 1 ? "," : "");
                }
                out.append(']');
                break;
            case 4:
                out.append('{');
                for (int k = random.nextInt(3); k > 0; k--) {
                    out.append('"').append(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)]).append("\":");
                    value(random, out, depth - 1);
                    out.append(k > 1 ? "," : "");
                }
                out.append('}');
                break;
            default:
                out.append(random.nextInt(1000));
                break;
        }
    }

    private static boolean accepted(byte[] bytes) {
        try {
            HeaderScan.parse(bytes);
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** The bytes as Java would write them: printable ASCII as is, anything else escaped. */
    private static String show(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return out.toString();
    }

    private static String space(Random random) {
        return new String[] {"", "", "", " ", "\n", "\t ", "\r\n"}[random.nextInt(7)];
    }
}
