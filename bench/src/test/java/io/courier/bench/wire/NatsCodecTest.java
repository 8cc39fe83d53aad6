package io.courier.bench.wire;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsCodecTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void connectTurnsVerboseAndPedanticOffAndASubscriptionIsFollowedByAPing() {
        NatsCodec codec = new NatsCodec();
        OutBytes out = new OutBytes();
        codec.hello(out);
        String connect = out.asText();
        assertTrue(connect.startsWith("CONNECT {") && connect.endsWith("}\r\n"), connect);
        assertTrue(connect.contains("\"verbose\":false") && connect.contains("\"pedantic\":false"), connect);

        OutBytes commands = new OutBytes();
        codec.subscribe(commands, "fanout", "m1");
        codec.subscribe(commands, "echo.3", "m2");
        codec.publish(commands, "fanout", bytes("hello"));
        codec.ping(commands);
        assertEquals("SUB fanout 1\r\nPING\r\nSUB echo.3 2\r\nPING\r\nPUB fanout 5\r\nhello\r\nPING\r\n",
                commands.asText());
    }

    @Test
    void serverLinesParseTheSameHoweverTheBytesAreCut() throws IOException {
        String payload = "a\r\nMSG x 1 3\r\nb"; // read by its length, never scanned for line ends
        byte[] stream = bytes("INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n"
                + "PONG\r\n" // the barrier after the one subscription: an ack
                + "MSG fanout 1 " + payload.length() + "\r\n" + payload + "\r\n"
                + "MSG fanout 1 _INBOX.abc 5\r\nhello\r\n"
                + "MSG fanout 1 0\r\n\r\n"
                + "PING\r\n"
                + "+OK\r\n"
                + "PONG\r\n" // no barrier left: the answer to a ping
                + "-ERR 'Unknown Protocol Operation'\r\n");
        List<String> expected = List.of("ack", "data:" + payload, "data:hello", "data:", "server-ping", "pong",
                "error:-ERR 'Unknown Protocol Operation'");

        for (List<String> events : Splits.everyWay(() -> subscribedOnce(), stream)) {
            assertEquals(expected, events);
        }
    }

    private static NatsCodec subscribedOnce() {
        NatsCodec codec = new NatsCodec();
        codec.subscribe(new OutBytes(), "fanout", "m");
        return codec;
    }

    @Test
    void theServersPingIsAnsweredWithAPong() {
        OutBytes out = new OutBytes();
        new NatsCodec().pongToServer(out);
        assertEquals("PONG\r\n", out.asText());
    }

    @Test
    void anUnknownLineIsRefused() {
        assertThrows(IOException.class, () -> new NatsCodec().read(ByteBuffer.wrap(bytes("HELLO\r\n")),
                new Recorded()));
    }
}
