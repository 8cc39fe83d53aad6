package io.courier.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of the JSON text decoder on any bytes: safe, bounded by the limit, and the same
 * messages and errors whatever the chunking ({@link DecoderProperties}). Input layout: byte 0 picks the limits,
 * byte 1 seeds the chunking, the rest is the stream. Seeds and crashes: {@code JsonStreamDecoderFuzzTestInputs/}.
 */
class JsonStreamDecoderFuzzTest {

    @FuzzTest(maxDuration = FuzzInput.MAX_DURATION)
    void anyBytesAsJsonText(byte[] input) {
        if (input.length < 2) {
            return;
        }
        DecoderProperties.stream(Framing.JSON_TEXT, DecoderProperties.limits(input[0] & 0xff),
                Arrays.copyOfRange(input, 2, input.length), input[1]);
    }
}
