package io.courier.bench.wire;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RespCodecTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void commandsAreArraysOfBulkStrings() {
        RespCodec codec = new RespCodec();
        OutBytes out = new OutBytes();
        codec.ping(out);
        codec.subscribe(out, "fanout", "m1");
        codec.publish(out, "fanout", bytes("hello"));
        codec.echo(out, "ignored", bytes("abc"));

        assertEquals("*1\r\n$4\r\nPING\r\n"
                + "*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nfanout\r\n"
                + "*3\r\n$7\r\nPUBLISH\r\n$6\r\nfanout\r\n$5\r\nhello\r\n"
                + "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n", out.asText());
    }

    @Test
    void repliesAndPushedMessagesParseTheSameHoweverTheBytesAreCut() throws IOException {
        // A payload holding CR, LF and '*' must be read by its length, never scanned for line ends.
        String payload = "a\r\n*3\r\n$7\r\nb";
        byte[] stream = bytes("+PONG\r\n"
                + "*3\r\n$9\r\nsubscribe\r\n$6\r\nfanout\r\n:1\r\n"
                + ":50\r\n"
                + "*3\r\n$7\r\nmessage\r\n$6\r\nfanout\r\n$" + payload.length() + "\r\n" + payload + "\r\n"
                + "$5\r\nhello\r\n"
                + "$0\r\n\r\n"
                + "-ERR unknown command\r\n"
                + "+OK\r\n");
        List<String> expected = List.of("pong", "ack", "ack", "data:" + payload, "data:hello", "data:",
                "error:ERR unknown command", "ack");

        for (List<String> events : Splits.everyWay(RespCodec::new, stream)) {
            assertEquals(expected, events);
        }
    }

    @Test
    void aLargeBulkStringArrivingInPiecesIsDeliveredOnceWhole() throws IOException {
        String body = "x".repeat(16384);
        byte[] stream = bytes("$16384\r\n" + body + "\r\n");
        RespCodec codec = new RespCodec();
        Recorded recorded = new Recorded();
        for (int at = 0; at < stream.length; at += 1000) {
            codec.read(ByteBuffer.wrap(stream, at, Math.min(1000, stream.length - at)), recorded);
        }
        assertEquals(List.of("data:" + body), recorded.events);
    }

    @Test
    void bytesThatAreNoRespAreRefused() {
        assertThrows(IOException.class, () -> new RespCodec().read(ByteBuffer.wrap(bytes("HTTP/1.1 400\r\n")),
                new Recorded()));
    }
}
