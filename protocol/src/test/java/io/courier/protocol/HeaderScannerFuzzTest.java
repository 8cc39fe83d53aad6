package io.courier.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the owned header scanner against Jackson's path on any bytes: whatever the
 * scanner accepts, Jackson's path accepts with the same type, id, ok and offset ({@link HeaderScannerTest} holds
 * the property and a seeded grammar of near misses), and its fields copy from its bytes as they do from its tree
 * ({@link HeaderWriterFieldsTest}). Seeds and crashes: {@code HeaderScannerFuzzTestInputs/}.
 */
class HeaderScannerFuzzTest {

    @FuzzTest(maxDuration = FuzzInput.MAX_DURATION)
    void anyBytesAsAHeader(byte[] input) {
        if (HeaderScannerTest.agreesWithJackson(input) != null) {
            HeaderWriterFieldsTest.assertCopiedAsTheTree(input); // and its fields copy as its tree's
        }
    }
}
