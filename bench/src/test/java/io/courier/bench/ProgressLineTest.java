package io.courier.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressLineTest {
    @Test
    void parsesTheClientsPerSecondLine() {
        ProgressLine line = ProgressLine.parse("[  3.0s] rps=12345 p50=0.123ms p99=1.234ms errors=0 open=64 held=64")
                .orElseThrow();

        assertEquals(3.0, line.seconds());
        assertEquals(12345, line.rps());
        assertEquals(0.123, line.p50Millis(), 1e-9);
        assertEquals(1.234, line.p99Millis(), 1e-9);
        assertEquals(0, line.errors());
        assertEquals(64, line.open());
        assertEquals(64, line.held());
    }

    @Test
    void latenciesInOtherUnitsAreConvertedToMilliseconds() {
        ProgressLine line = ProgressLine.parse("[ 12.5s] rps=1 p50=250us p99=1.5s").orElseThrow();

        assertEquals(0.25, line.p50Millis(), 1e-9);
        assertEquals(1500, line.p99Millis(), 1e-9);
    }

    @Test
    void missingFieldsReadAsMinusOneAndNaN() {
        ProgressLine line = ProgressLine.parse("[10.0s] rps=5").orElseThrow();

        assertEquals(-1, line.held());
        assertEquals(-1, line.open());
        assertTrue(Double.isNaN(line.p99Millis()));
    }

    @Test
    void otherOutputIsNotAProgressLine() {
        assertTrue(ProgressLine.parse("Connecting 64 connections to 127.0.0.1:6666").isEmpty());
        assertTrue(ProgressLine.parse("{\"target\":\"x\"}").isEmpty());
        assertTrue(ProgressLine.parse("").isEmpty());
    }
}
