package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The UTF-8 check agrees with the JDK's strict decoder, whole or split anywhere. */
class Utf8ValidatorTest {

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Valid when no byte is invalid and the bytes do not end inside a sequence, fed in two pieces. */
    private static boolean accepts(byte[] bytes, int cut) {
        Utf8Validator validator = new Utf8Validator();
        if (validator.firstInvalid(ByteBuffer.wrap(bytes, 0, cut)) >= 0) {
            return false;
        }
        ByteBuffer rest = ByteBuffer.wrap(bytes, cut, bytes.length - cut);
        return validator.firstInvalid(rest) < 0 && !validator.inSequence();
    }

    @Test
    void everySequenceOfUpToThreeBytesIsJudgedAsTheJdkJudgesIt() {
        for (int first = 0x80; first <= 0xff; first++) {
            for (int second = 0; second <= 0xff; second++) {
                for (int third : new int[] {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff}) {
                    byte[] bytes = {(byte) first, (byte) second, (byte) third};
                    boolean expected = jdkAccepts(bytes);
                    for (int cut = 0; cut <= bytes.length; cut++) {
                        assertEquals(expected, accepts(bytes, cut), String.format("%02x %02x %02x cut at %d", first,
                                second, third, cut));
                    }
                }
            }
        }
    }

    @Test
    void randomBytesAndRandomTextAreJudgedAsTheJdkJudgesThem() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = Streams.randomBytes(random, random.nextInt(12));
            } else {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(6); i > 0; i--) {
                    int c = random.nextInt(0x110000);
                    text.appendCodePoint(c >= 0xd800 && c <= 0xdfff ? 'x' : c);
                }
                bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            boolean expected = jdkAccepts(bytes);
            int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            assertEquals(expected, accepts(bytes, cut), java.util.HexFormat.of().formatHex(bytes) + " cut " + cut);
            assertEquals(expected, Utf8Validator.firstInvalid(bytes) < 0, java.util.HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void theFirstInvalidByteIsNamedAndAnUnfinishedSequenceIsTheLength() {
        assertEquals(1, Utf8Validator.firstInvalid(new byte[] {'a', (byte) 0xc0, (byte) 0x80}));
        assertEquals(2, Utf8Validator.firstInvalid(new byte[] {'a', (byte) 0xe0, (byte) 0x80}));
        assertEquals(3, Utf8Validator.firstInvalid(new byte[] {'a', (byte) 0xe4, (byte) 0xb8}));
        assertEquals(-1, Utf8Validator.firstInvalid(new byte[] {'a', (byte) 0xe4, (byte) 0xb8, (byte) 0xad}));
        assertEquals(1, Utf8Validator.firstInvalid(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
    }
}
