package io.courier.protocol.units;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantitiesTest {
    @Test
    void sizesTakeBinarySuffixesAndBareBytes() {
        assertEquals(65536, Quantities.size("x", "65536"));
        assertEquals(64 << 10, Quantities.size("x", "64KiB"));
        assertEquals(1 << 20, Quantities.size("x", "1mib"));
        assertEquals(2L << 30, Quantities.size("x", "2 GiB"));
        assertEquals(10, Quantities.size("x", "10b"));
        assertThrows(IllegalArgumentException.class, () -> Quantities.size("x", "-1"));
        assertThrows(IllegalArgumentException.class, () -> Quantities.size("x", "lots"));
        assertThrows(IllegalArgumentException.class, () -> Quantities.intSize("x", "2GiB"));
    }

    @Test
    void durationsNeedAUnit() {
        assertEquals(Duration.ofMillis(500), Quantities.duration("x", "500ms"));
        assertEquals(Duration.ofSeconds(5), Quantities.duration("x", "5s"));
        assertEquals(Duration.ofMillis(1500), Quantities.duration("x", "1.5s"));
        assertEquals(Duration.ofMinutes(2), Quantities.duration("x", "2m"));
        assertEquals(Duration.ofHours(1), Quantities.duration("x", " 1H "));
        assertEquals(Duration.ZERO, Quantities.duration("x", "0"));
    }

    @Test
    void aBareNumberIsRefusedWithTheTwoReadingsOffered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantities.duration("--idle-timeout", "300"));
        assertTrue(e.getMessage().startsWith("--idle-timeout must be a duration"), e.getMessage());
        assertTrue(e.getMessage().contains("300ms or 300s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("x", "-5s"));
        assertThrows(IllegalArgumentException.class, () -> Quantities.duration("x", "soon"));
    }

    @Test
    void formatWritesTheSameVocabularyBack() {
        for (String text : new String[] {"0", "250ms", "5s", "2m", "24h"}) {
            assertEquals(text, Quantities.format(Quantities.duration("x", text)));
        }
    }
}
