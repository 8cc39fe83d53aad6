package io.courier.loadtest;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: what {@link ReportWriter} prints and writes as JSON. Counts of requests, replies and
 * latencies cover the measured period only (after ramp-up and warm-up); errors cover the whole run.
 *
 * @param durationSeconds  from the start of the measured period until sending stopped or the last measured reply
 *                         arrived, whichever is later
 * @param heldConnections  connections established when sending stopped
 * @param peakHeld         the most connections seen established at once (sampled each second and at the end)
 * @param requestsTarget   {@code --requests}, or 0 when the run was timed
 * @param latencyNanos     the measured latencies in nanoseconds
 * @param errorReplyCodes  error replies by {@code error.code}
 * @param errorSamples     the first errors in words
 * @param failure          an internal failure of the client, or null
 * @param intervals        each second of the run (throughput and latency over time)
 * @param fanout           a fan-out run's own figures, or null in the other modes
 */
public record Report(String target, Mode mode, String framing, String type, int connections, int depth,
                     double rate, int headerBytes, int bodyBytes, double durationSeconds, long requestsSent,
                     long repliesOk, long warmupSent, long warmupOk, double throughputPerSecond,
                     LatencySummary latency, ErrorCounts errors, Map<String, Long> errorReplyCodes, long events,
                     long bytesSent, long bytesReceived, long heldConnections, long peakHeld, long requestsTarget,
                     Histogram latencyNanos, List<String> errorSamples, String failure,
                     List<Interval> intervals, FanoutFigures fanout) {

    /** True when every request was answered correctly (the exit code is 0 exactly then). */
    public boolean success() {
        return problems().isEmpty();
    }

    /**
     * What makes the figures less than they seem, though the run succeeded: today, no warm-up, so that they include
     * the seconds in which the JIT compiles the client and the server.
     */
    public List<String> warnings() {
        if (mode != Mode.HOLD && mode != Mode.CONNECT && warmupSent == 0 && requestsSent > 0) {
            return List.of("no warm-up: the figures include the first seconds, while the JIT compiles the client "
                    + "and the server (use --warmup 3s or more)");
        }
        return List.of();
    }

    /** Why the run failed, one sentence per reason; empty when it succeeded. */
    public List<String> problems() {
        List<String> problems = new java.util.ArrayList<>();
        if (failure != null) {
            problems.add("the client failed: " + failure);
        }
        if (errors.total() > 0) {
            problems.add(errors.total() + " error(s)");
        }
        if (repliesOk != requestsSent || warmupOk != warmupSent) {
            long missing = requestsSent + warmupSent - repliesOk - warmupOk;
            problems.add(missing + (mode == Mode.FANOUT ? " delivery(ies) missing"
                    : mode == Mode.CONNECT ? " connection(s) without a correct ping reply"
                    : " request(s) not answered correctly"));
        }
        if (requestsTarget > 0 && requestsSent < requestsTarget) {
            problems.add("only " + requestsSent + " of " + requestsTarget + " requests were sent (connections "
                    + "failed, or the time limit --duration came first)");
        }
        if (mode != Mode.HOLD && requestsSent == 0) {
            problems.add("no request was sent in the measured period");
        }
        return problems;
    }
}
