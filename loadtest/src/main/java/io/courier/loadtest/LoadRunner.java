package io.courier.loadtest;

import io.courier.protocol.Framing;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load test in this process: starts the {@link ClientThread}s, prints a progress line each second,
 * waits for them to finish (every phase is bounded in time, so they always do) and gathers the {@link Report}.
 * It does not exit the JVM, so tests call it directly.
 *
 * <pre>{@code
 * Report report = new LoadRunner(LoadOptions.builder().port(port).requests(10_000).build(), System.out).run();
 * }</pre>
 */
public final class LoadRunner {
    private static final long SECOND = 1_000_000_000L;
    /** Slack over the run's own limits before the runner stops waiting for a thread that should have ended. */
    private static final long OVERDUE_NANOS = 10 * SECOND;

    private final LoadOptions options;
    private final PrintStream out;
    /** Filled before the threads start; a signal handler may read it meanwhile. */
    private final List<ClientThread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    /** Fan-out and connect mode: how to stop them (they run their own threads); null otherwise. */
    private volatile Runnable otherMode;

    public LoadRunner(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the test and returns its report (also printed, and written to the JSON and hgrm files if asked).
     *
     * @throws UnknownHostException when the host cannot be resolved
     * @throws IOException          when a selector cannot be opened or a report file cannot be written
     */
    public Report run() throws IOException, InterruptedException {
        Report report;
        if (options.mode() == Mode.FANOUT) {
            FanoutRunner fanout = new FanoutRunner(options, out);
            otherMode = fanout::requestStop;
            report = stopRequested ? stopFirst(fanout) : fanout.run();
        } else if (options.mode() == Mode.CONNECT) {
            ConnectRunner connect = new ConnectRunner(options, out);
            otherMode = connect::requestStop;
            if (stopRequested) {
                connect.requestStop();
            }
            report = connect.run();
        } else {
            report = runSelectorThreads();
        }
        out.print(ReportWriter.text(report));
        out.flush();
        if (options.jsonFile() != null) {
            ReportWriter.writeJson(report, options.jsonFile());
        }
        if (options.hgrmFile() != null) {
            ReportWriter.writeHgrm(report, options.hgrmFile());
        }
        if (options.csvFile() != null) {
            ReportWriter.writeCsv(report, options.csvFile());
        }
        if (options.htmlFile() != null) {
            HtmlReport.write(report, options.htmlFile());
        }
        return report;
    }

    private static Report stopFirst(FanoutRunner fanout) throws IOException, InterruptedException {
        fanout.requestStop();
        return fanout.run();
    }

    /** The NIO modes: closed loop, open loop, hold. */
    private Report runSelectorThreads() throws IOException, InterruptedException {
        List<InetSocketAddress> targets = resolve();
        RequestFactory requests = options.mode() == Mode.HOLD ? RequestFactory.pings()
                : new RequestFactory(options.type(), options.headerTemplate(), options.headerBytes(),
                options.bodyBytes(), System.nanoTime());
        int threadCount = Math.min(options.threads(), options.connections());
        CountDownLatch done = new CountDownLatch(threadCount);
        ErrorSamples samples = new ErrorSamples(ErrorSamples.DEFAULT_CAPACITY);
        Timeline timeline = Timeline.of(options, System.nanoTime());
        for (int t = 0; t < threadCount; t++) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = t; i < options.connections(); i += threadCount) {
                indexes.add(i);
            }
            threads.add(new ClientThread(options, timeline, targets, requests, indexes, samples, done,
                    System.nanoTime() + t));
        }
        List<Counters> counters = threads.stream().map(ClientThread::counters).toList();
        ProgressMeter progress = new ProgressMeter(threads, counters, timeline);
        out.println(banner(requests, threadCount));
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(threads.get(t), "load-client-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        if (stopRequested) {
            requestStop();
        }
        awaitThreads(done, progress, timeline);
        return report(timeline, requests, counters, progress, samples, done.getCount());
    }

    /** Stops sending now; the run drains and reports as usual. Safe from any thread (a signal handler). */
    public void requestStop() {
        stopRequested = true;
        Runnable stopOther = otherMode;
        if (stopOther != null) {
            stopOther.run();
        }
        for (ClientThread thread : threads) {
            thread.requestStop();
        }
    }

    private List<InetSocketAddress> resolve() throws UnknownHostException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Target target : options.targets()) {
            addresses.add(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()));
        }
        return addresses;
    }

    private void awaitThreads(CountDownLatch done, ProgressMeter progress, Timeline timeline)
            throws InterruptedException {
        long limit = timeline.stopSendingNanos() + options.grace().toNanos() + options.connectTimeout().toNanos()
                + OVERDUE_NANOS;
        long nextTick = timeline.startNanos() + SECOND;
        while (!done.await(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            String line = progress.line(now);
            if (options.progress()) {
                out.println(line);
                out.flush();
            }
            nextTick += SECOND * Math.max(1, (now - nextTick) / SECOND + 1);
            if (now > limit) {
                requestStop(); // cannot happen unless a thread is stuck; the report says so
                done.await(OVERDUE_NANOS, TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    private Report report(Timeline timeline, RequestFactory requests, List<Counters> counters,
                          ProgressMeter progress, ErrorSamples samples, long stuckThreads) {
        Histogram latency = new Histogram(3);
        Map<String, Long> codes = new HashMap<>();
        long end = Long.MIN_VALUE;
        long held = 0;
        String failure = stuckThreads > 0 ? stuckThreads + " client thread(s) did not stop in time" : null;
        for (ClientThread thread : threads) {
            latency.add(thread.measuredLatency());
            thread.errorCodes().forEach((code, count) -> codes.merge(code, count, Long::sum));
            end = Math.max(end, Math.max(thread.sendingEndedNanos(), thread.lastMeasuredReplyNanos()));
            held += thread.heldAtStop();
            if (thread.failure() != null && failure == null) {
                failure = thread.failure().toString();
            }
        }
        double seconds = Math.max(0, end - timeline.measureStartNanos()) / 1e9;
        long repliesOk = Counters.sum(counters, Counter.REPLIES_OK);
        ErrorCounts errors = new ErrorCounts(Counters.sum(counters, Counter.LOST),
                Counters.sum(counters, Counter.DUPLICATED), Counters.sum(counters, Counter.MISMATCHED),
                Counters.sum(counters, Counter.ERROR_REPLIES), Counters.sum(counters, Counter.CONNECT_FAILURES),
                Counters.sum(counters, Counter.DISCONNECTS));
        boolean hold = options.mode() == Mode.HOLD;
        return new Report(options.target(), options.mode(), framingName(options.framing()), requests.type(),
                options.connections(), options.mode() == Mode.CLOSED ? options.depth() : 0, options.rate(),
                hold ? 0 : options.headerBytes(), hold ? 0 : options.bodyBytes(), seconds,
                Counters.sum(counters, Counter.REQUESTS_SENT), repliesOk, Counters.sum(counters, Counter.WARMUP_SENT),
                Counters.sum(counters, Counter.WARMUP_OK), seconds > 0 ? repliesOk / seconds : 0,
                LatencySummary.of(latency), errors, codes, Counters.sum(counters, Counter.EVENTS),
                Counters.sum(counters, Counter.BYTES_SENT), Counters.sum(counters, Counter.BYTES_RECEIVED), held,
                Math.max(held, progress.peakHeld()), options.requests(), latency, samples.snapshot(), failure,
                progress.intervals(), null);
    }

    static String framingName(Framing framing) {
        return framing == Framing.BINARY ? "binary" : "text";
    }

    private String banner(RequestFactory requests, int threadCount) {
        String load;
        switch (options.mode()) {
            case CLOSED:
                load = options.connections() + " connections x depth " + options.depth() + " (closed loop)";
                break;
            case OPEN:
                load = ReportWriter.trim(options.rate()) + " requests/s over " + options.connections() + " connections (open loop)";
                break;
            default:
                load = "hold " + options.connections() + " connections, a ping every ~"
                        + options.pingInterval().toMillis() + " ms each";
                break;
        }
        String amount = options.requests() > 0 ? options.requests() + " requests (time limit "
                + seconds(options.duration().toNanos()) + ")" : seconds(options.duration().toNanos());
        return String.format(Locale.ROOT, "Load test of %s: %s, %s %s, header %d bytes, body %d bytes; %s after "
                        + "ramp-up %s and warm-up %s; %d thread(s)", options.target(), load,
                framingName(options.framing()), requests.type(), requests.typicalHeaderBytes(),
                requests.bodyLength(), amount, seconds(options.rampUp().toNanos()),
                seconds(options.warmup().toNanos()), threadCount);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
