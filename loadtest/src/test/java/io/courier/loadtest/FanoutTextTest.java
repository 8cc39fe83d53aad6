package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FanoutTextTest {
    @Test
    void aTextIsPaddedToItsSizeAndReadsBack() {
        FanoutText text = new FanoutText(3, 1234, 987654321012L);
        String formatted = text.format(100);
        assertEquals(100, formatted.length());
        assertEquals(text, FanoutText.parse(formatted));
        assertEquals(text, FanoutText.parse(text.format(0)), "unpadded when the size is smaller");
    }

    @Test
    void foreignTextsAreMalformed() {
        for (String foreign : new String[] {null, "", "hello", "1 2", "a b c ", "1 0 5 ", "-1 3 5 "}) {
            assertSame(FanoutText.MALFORMED, FanoutText.parse(foreign), String.valueOf(foreign));
        }
    }
}
