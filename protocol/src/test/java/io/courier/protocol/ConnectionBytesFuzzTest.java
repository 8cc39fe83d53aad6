package io.courier.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of what a connection may send: the first byte picks the framing or none, then
 * that framing's decoder must stay safe, bounded and chunking-independent ({@link DecoderProperties}). Input
 * layout: byte 0 picks the limits, byte 1 seeds the chunking, the rest is the stream.
 *
 * <p>{@code mvn verify} replays the inputs in {@code ConnectionBytesFuzzTestInputs/} (seeds and every crash ever
 * found), then fuzzes for a few seconds; {@code -Pfuzz} fuzzes for minutes (protocol/pom.xml, README.md).
 */
class ConnectionBytesFuzzTest {

    @FuzzTest(maxDuration = FuzzInput.MAX_DURATION)
    void anyBytesAConnectionSends(byte[] input) {
        if (input.length < 2) {
            return;
        }
        DecoderProperties.connection(Arrays.copyOfRange(input, 2, input.length),
                DecoderProperties.limits(input[0] & 0xff), input[1]);
    }
}
