package io.courier.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of the binary frame decoder on any bytes: safe, bounded by the limits, and the
 * same frames and errors whatever the chunking ({@link DecoderProperties}). Input layout: byte 0 picks the limits,
 * byte 1 seeds the chunking, the rest is the stream. Seeds and crashes: {@code FrameDecoderFuzzTestInputs/}.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = FuzzInput.MAX_DURATION)
    void anyBytesAsBinaryFrames(byte[] input) {
        if (input.length < 2) {
            return;
        }
        DecoderProperties.stream(Framing.BINARY, DecoderProperties.limits(input[0] & 0xff),
                Arrays.copyOfRange(input, 2, input.length), input[1]);
    }
}
