package io.courier.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of encode-then-decode: messages built from the input, encoded in either
 * framing and decoded from any chunking, come back unchanged, and so do their replies ({@link DecoderProperties}).
 */
class RoundTripFuzzTest {

    @FuzzTest(maxDuration = FuzzInput.MAX_DURATION)
    void encodedMessagesDecodeToThemselves(FuzzedDataProvider data) {
        Framing framing = data.consumeBoolean() ? Framing.BINARY : Framing.JSON_TEXT;
        long chunkSeed = data.consumeLong();
        List<Message> messages = new ArrayList<>();
        for (int i = data.consumeInt(1, 4); i > 0; i--) {
            messages.add(FuzzInput.message(data));
        }
        DecoderProperties.roundTrip(messages, framing, chunkSeed);
    }
}
