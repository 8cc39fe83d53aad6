package io.courier.bench.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The counts and latencies of one run, recorded only inside the measured period (after the warm-up), except the
 * error counts, which count always: a message lost in the warm-up is lost all the same.
 */
final class WireRecorder {
    final LatencyHistogram latency = new LatencyHistogram();
    volatile boolean measuring;
    long sent;
    long ok;
    long bytesSent;
    long bytesReceived;
    long lost;
    long duplicated;
    long mismatched;
    long errorReplies;
    long connectFailures;
    long disconnects;
    private final List<String> samples = new ArrayList<>();

    void sent() {
        if (measuring) {
            sent++;
        }
    }

    /** A good reply or delivery; {@code startNanos} is when its request or message was (meant to be) sent. */
    void ok(long startNanos, long now) {
        if (measuring) {
            ok++;
            latency.record(now - startNanos);
        }
    }

    void bytes(long out, long in) {
        if (measuring) {
            bytesSent += out;
            bytesReceived += in;
        }
    }

    /** Keeps the first few problems in words for the report. */
    void sample(String what) {
        if (samples.size() < 10) {
            samples.add(what);
        }
    }

    List<String> samples() {
        return samples;
    }

    long errors() {
        return lost + duplicated + mismatched + errorReplies + connectFailures + disconnects;
    }
}
