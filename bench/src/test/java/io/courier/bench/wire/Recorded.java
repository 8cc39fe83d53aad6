package io.courier.bench.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a codec reports, as words, for assertions. */
final class Recorded implements WireEvents {
    final List<String> events = new ArrayList<>();

    @Override
    public void pong() {
        events.add("pong");
    }

    @Override
    public void data(byte[] bytes, int offset, int length) {
        events.add("data:" + new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void ack() {
        events.add("ack");
    }

    @Override
    public void error(String what) {
        events.add("error:" + what);
    }

    @Override
    public void serverPing() {
        events.add("server-ping");
    }
}
