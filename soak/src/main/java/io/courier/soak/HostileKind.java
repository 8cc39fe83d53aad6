package io.courier.soak;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The abuse the soak throws at the server, one short-lived connection per attack, each with what PROTOCOL.md
 * promises in return. {@link #attack} returns the outcome in words; {@link #expected} tells a promised outcome
 * from a broken promise.
 */
enum HostileKind {
    /** Bytes that start no framing: one {@code unknown_protocol} error in JSON text, then FIN. */
    GARBAGE("garbage") {
        @Override
        String attack(Attack a) throws IOException {
            byte[] junk = new byte[1 + a.random().nextInt(4096)];
            a.random().nextBytes(junk);
            junk[0] = NOT_A_FRAMING[a.random().nextInt(NOT_A_FRAMING.length)];
            try (HostileSocket s = a.connect(0)) {
                s.write(junk);
                return describe(s.readToEnd(ANSWER_TIMEOUT), Framing.JSON_TEXT);
            }
        }

        @Override
        boolean expected(String outcome) {
            return outcome.equals("unknown_protocol, then EOF");
        }
    },
    /** A good request, then broken JSON: its reply, the {@code malformed} error, then FIN. */
    MALFORMED("malformed JSON") {
        @Override
        String attack(Attack a) throws IOException {
            byte[] junk = new byte[a.random().nextInt(2048)];
            a.random().nextBytes(junk);
            try (HostileSocket s = a.connect(0)) {
                s.write(concat(utf8("{\"type\":\"ping\",\"id\":1}\n{#"), junk));
                return describe(s.readToEnd(ANSWER_TIMEOUT), Framing.JSON_TEXT);
            }
        }

        @Override
        boolean expected(String outcome) {
            return outcome.equals("ok, malformed, then EOF");
        }
    },
    /** Half a message, then a reset: nothing to promise the client, but nobody else may notice. */
    HALF_FRAME_RESET("half a frame, then reset") {
        @Override
        String attack(Attack a) throws IOException {
            boolean binary = a.number() % 2 == 0;
            Message echo = Message.of("echo").with("id", 1).withBody(new byte[10_000]);
            byte[] whole = encode(echo, binary ? Framing.BINARY : Framing.JSON_TEXT);
            try (HostileSocket s = a.connect(0)) {
                s.write(Arrays.copyOf(whole, 1 + a.random().nextInt(whole.length - 1)));
                s.reset();
                return "reset after part of a " + (binary ? "binary frame" : "JSON object");
            }
        }
    },
    /** A binary header over max-header-bytes, sent whole, then a ping: too_large, the frame skipped, the ping answered. */
    OVERSIZED_BINARY("oversized binary frame") {
        @Override
        String attack(Attack a) throws IOException {
            int header = Limits.DEFAULT_MAX_HEADER_BYTES + 1;
            byte[] filler = new byte[header];
            Arrays.fill(filler, (byte) '{');
            try (HostileSocket s = a.connect(0)) {
                s.write(ByteBuffer.allocate(8).putInt(header).putInt(0).array());
                s.write(filler);
                s.write(encode(Message.of("ping").with("id", 2), Framing.BINARY));
                return describe(s.readMessages(Framing.BINARY, 2, ANSWER_TIMEOUT), Framing.BINARY);
            }
        }

        @Override
        boolean expected(String outcome) {
            return outcome.equals("too_large, ok");
        }
    },
    /** A JSON-text object over max-header-bytes: too_large, then FIN (JSON text cannot skip a message). */
    OVERSIZED_TEXT("oversized JSON object") {
        @Override
        String attack(Attack a) throws IOException {
            byte[] pad = new byte[Limits.DEFAULT_MAX_HEADER_BYTES + 1024];
            Arrays.fill(pad, (byte) 'x');
            try (HostileSocket s = a.connect(0)) {
                try {
                    s.write(concat(utf8("{\"type\":\"echo\",\"id\":1,\"pad\":\""), pad, utf8("\"}")));
                } catch (IOException refused) {
                    // the server may close before taking it all; what it answered is still to be read
                }
                return describe(s.readToEnd(ANSWER_TIMEOUT), Framing.JSON_TEXT);
            }
        }

        @Override
        boolean expected(String outcome) {
            return outcome.equals("too_large, then EOF");
        }
    },
    /** Connects and goes: at once with a FIN, at once with a reset, or after holding the connection silently. */
    CONNECT_AND_VANISH("connect and vanish") {
        @Override
        String attack(Attack a) throws IOException, InterruptedException {
            try (HostileSocket s = a.connect(0)) {
                switch ((int) (a.number() % 3)) {
                    case 0:
                        return "closed at once";
                    case 1:
                        s.reset();
                        return "reset at once";
                    default:
                        TimeUnit.MILLISECONDS.sleep(HOLD.toMillis());
                        s.reset();
                        return "silent for " + HOLD.toSeconds() + " s, then reset";
                }
            }
        }
    },
    /**
     * Never reads: pipelines 64 KiB echo requests as far as the server takes them (until its backpressure stops
     * reading), or joins the soak room and ignores it; after a while, resets.
     */
    NON_READER("non-reading client") {
        @Override
        String attack(Attack a) throws IOException, InterruptedException {
            if (a.number() % 2 == 1) {
                try (HostileSocket s = a.connect(16 * 1024)) {
                    s.write(encode(Message.of("room.join").with("id", 1).with("room", RoomTraffic.ROOM)
                            .with("name", "lurker-" + a.number()), Framing.BINARY));
                    TimeUnit.MILLISECONDS.sleep(HOLD.toMillis());
                    s.reset();
                    return "joined the room without reading, then reset";
                }
            }
            try (SocketChannel channel = SocketChannel.open()) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                channel.connect(new java.net.InetSocketAddress("127.0.0.1", a.port()));
                channel.configureBlocking(false);
                byte[] frame = encode(Message.of("echo").with("id", 0).withBody(new byte[64 * 1024]), Framing.BINARY);
                ByteBuffer out = ByteBuffer.wrap(frame);
                long end = System.nanoTime() + HOLD.toNanos();
                boolean stuck = false;
                long stuckSince = 0;
                while (System.nanoTime() < end) {
                    if (!out.hasRemaining()) {
                        out = ByteBuffer.wrap(frame);
                    }
                    int n = channel.write(out);
                    if (n == 0) {
                        stuckSince = stuck ? stuckSince : System.nanoTime();
                        stuck = true;
                        TimeUnit.MILLISECONDS.sleep(50);
                    } else {
                        stuck = false;
                    }
                }
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                boolean stalled = stuck && System.nanoTime() - stuckSince > TimeUnit.SECONDS.toNanos(1);
                return (stalled ? "sent until the server stopped reading it" : "sent without stalling")
                        + ", then reset";
            }
        }
    };

    private static final byte[] NOT_A_FRAMING = {0x01, 0x05, 0x16, 'G', 'P', 0x7f, (byte) 0x80, (byte) 0xff};
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HOLD = Duration.ofSeconds(3);

    private final String label;

    HostileKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** What one attack needs: the port, its number, randomness, and sockets the soak can close at the end. */
    interface Attack {
        int port();

        long number();

        Random random();

        HostileSocket connect(int receiveBuffer) throws IOException;
    }

    /** Runs one attack; returns what the client saw, in words. */
    abstract String attack(Attack attack) throws IOException, InterruptedException;

    /** Whether an outcome is what the protocol promises (any outcome, for abuse that promises nothing). */
    boolean expected(String outcome) {
        return true;
    }

    /** "code or ok, code or ok, then EOF / reset / timeout": what a hostile client read. */
    static String describe(HostileSocket.Answer answer, Framing framing) {
        List<Message> messages = answer.messages(framing);
        StringBuilder text = new StringBuilder();
        for (Message m : messages) {
            text.append(text.length() == 0 ? "" : ", ").append(m.isOk() ? "ok" : String.valueOf(m.errorCode()));
        }
        if (messages.isEmpty()) {
            text.append("nothing");
        }
        if (answer.end() != null) {
            text.append(", then ").append(answer.end());
        }
        return text.toString();
    }

    static byte[] encode(Message message, Framing framing) {
        ByteBuffer encoded = framing.encoder().encode(message);
        return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset() + encoded.position(),
                encoded.arrayOffset() + encoded.limit());
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
