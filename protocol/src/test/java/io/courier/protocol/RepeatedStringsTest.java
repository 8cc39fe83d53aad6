package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Repeated types come back as the same String; every other string still decodes to its own text. */
class RepeatedStringsTest {

    @Test
    void aRepeatedStringIsTheSameObjectAndEveryStringKeepsItsText() {
        RepeatedStrings strings = new RepeatedStrings();
        byte[] frame = "xx\"ping\"xx".getBytes(StandardCharsets.UTF_8);
        String first = strings.text(frame, 3, 7);
        assertEquals("ping", first);
        assertSame(first, strings.text("\"ping\"".getBytes(StandardCharsets.UTF_8), 1, 5));
        // Far more strings than slots, some sharing slots, long and non-ASCII ones: each reads back as itself.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5_000; i++) {
                String text = (i % 3 == 0 ? "é-" : "t") + i + (i % 7 == 0 ? "x".repeat(60) : "");
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                assertEquals(text, strings.text(bytes, 0, bytes.length));
            }
        }
    }
}
