package io.courier.bench.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-member checks of fan-out deliveries: each message once, in order, none missing. No sockets needed. */
class FanoutTrafficTest {
    private final WireRecorder recorder = new WireRecorder();
    private final FanoutTraffic traffic = new FanoutTraffic(2, 4, 0, 40, recorder);
    private final List<WireConnection> connections = new ArrayList<>();
    private final Payloads payloads = new Payloads(40);

    FanoutTrafficTest() {
        for (int i = 0; i < traffic.connections(); i++) {
            connections.add(new WireConnection(i, null, new RespCodec(), traffic));
        }
        traffic.setUp(connections);
        connections.get(0).ack();
        connections.get(1).ack();
        recorder.measuring = true;
    }

    private void deliver(int member, long seq) {
        byte[] payload = payloads.stamp(seq, System.nanoTime());
        connections.get(member).data(payload, 0, payload.length);
    }

    @Test
    void thePublisherKeepsAtMostTheWindowUndeliveredAndGoesOnAsMembersCatchUp() {
        traffic.tick(System.nanoTime());
        assertEquals(4, recorder.sent);
        deliver(0, 0);
        traffic.tick(System.nanoTime());
        assertEquals(4, recorder.sent, "message 0 is still due to member 1");
        deliver(1, 0);
        traffic.tick(System.nanoTime());
        assertEquals(5, recorder.sent);
        assertEquals(2, recorder.ok);
        assertEquals(0, recorder.errors());
    }

    @Test
    void aGapIsLossARepeatIsADuplicateAndAForeignPayloadIsMismatched() {
        traffic.tick(System.nanoTime());
        deliver(0, 0);
        deliver(0, 2); // 1 missing
        deliver(0, 2); // again
        connections.get(0).data(new byte[5], 0, 5);
        assertEquals(1, recorder.lost);
        assertEquals(1, recorder.duplicated);
        assertEquals(1, recorder.mismatched);
    }

    @Test
    void whatNeverArrivedCountsAsLostAtTheEnd() {
        traffic.tick(System.nanoTime());
        deliver(0, 0);
        deliver(1, 0);
        traffic.stopSending();
        traffic.countLost();
        assertEquals(6, recorder.lost, "messages 1 to 3 to both members");
    }
}
