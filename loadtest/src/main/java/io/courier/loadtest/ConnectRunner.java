package io.courier.loadtest;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Connect mode ({@code --new-connections}): {@code --connections} workers at once, each opening a connection,
 * pinging once and closing, again and again ({@link ConnectWorker}). Reports new connections per second and the
 * connect-to-first-reply latency. The client closes first, so its side holds the TIME_WAIT ports; Linux reuses them
 * for loopback connections, and {@code --source-addresses} spreads them on longer runs to other hosts.
 */
final class ConnectRunner implements ConnectWorker.ConnectRun {
    private static final long SECOND = 1_000_000_000L;

    private final LoadOptions options;
    private final PrintStream out;
    private final ErrorSamples samples = new ErrorSamples(ErrorSamples.DEFAULT_CAPACITY);
    private final ConnectWorker.Tally tally = new ConnectWorker.Tally();
    private volatile long stopNanos = Long.MAX_VALUE;
    private volatile IntervalSampler sampler;

    ConnectRunner(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    synchronized void requestStop() {
        stopNanos = Math.min(stopNanos, System.nanoTime());
    }

    @Override public boolean sendingOver(long now) { return now >= stopNanos; }
    @Override public IntervalSampler sampler() { return sampler; }
    @Override public ConnectWorker.Tally tally() { return tally; }
    @Override public void sample(String text) { samples.add(text); }

    Report run() throws IOException, InterruptedException {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (Target target : options.targets()) {
            targets.add(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()));
        }
        long start = System.nanoTime();
        long measureStart = start + options.warmup().toNanos();
        Timeline timeline = new Timeline(start, 0, measureStart, measureStart + options.duration().toNanos(),
                options.connections());
        sampler = new IntervalSampler(timeline);
        synchronized (this) {
            stopNanos = Math.min(stopNanos, timeline.stopSendingNanos());
        }
        out.println(String.format(Locale.ROOT, "Connect load of %s: %d connection(s) at once, each: connect%s, "
                        + "one ping, its reply, close; %.1fs after warm-up %.1fs", options.target(),
                options.connections(), options.tls() ? ", TLS handshake" : "", options.duration().toNanos() / 1e9,
                options.warmup().toNanos() / 1e9));
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            Thread worker = new Thread(new ConnectWorker(i, options, targets, timeline, this), "load-connect-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        long nextTick = start + SECOND;
        // Each worker ends within a connect timeout plus a read timeout of the end.
        long limit = timeline.stopSendingNanos() + 2 * options.connectTimeout().toNanos() + SECOND;
        for (Thread worker : workers) {
            while (worker.isAlive() && System.nanoTime() < limit) {
                worker.join(Math.max(1, (nextTick - System.nanoTime()) / 1_000_000));
                long now = System.nanoTime();
                if (now >= nextTick) {
                    String line = sampler.line(now, tally.errors(), alive(workers), 0);
                    if (options.progress()) {
                        out.println(line);
                        out.flush();
                    }
                    nextTick += SECOND;
                }
            }
        }
        return report(timeline, alive(workers));
    }

    private static long alive(List<Thread> workers) {
        return workers.stream().filter(Thread::isAlive).count();
    }

    private Report report(Timeline timeline, long stuck) {
        Histogram latency = sampler.measuredHistogram();
        long end = Math.max(timeline.measureStartNanos(), Math.min(stopNanos, System.nanoTime()));
        double seconds = (end - timeline.measureStartNanos()) / 1e9;
        long ok = tally.measuredOk.sum();
        ErrorCounts errors = new ErrorCounts(0, 0, tally.mismatched.sum(), tally.errorReplies.sum(),
                tally.connectFailures.sum(), tally.disconnects.sum());
        return new Report(options.target(), Mode.CONNECT, LoadRunner.framingName(options.framing()), "ping",
                options.connections(), 0, 0, 0, 0, seconds, tally.measuredSent.sum(), ok, tally.warmupSent.sum(),
                tally.warmupOk.sum(), seconds > 0 ? ok / seconds : 0, LatencySummary.of(latency), errors, Map.of(),
                0, tally.bytesSent.sum(), tally.bytesReceived.sum(), 0, 0, 0, latency, samples.snapshot(),
                stuck > 0 ? stuck + " connect worker(s) did not stop in time" : null, sampler.intervals(), null);
    }
}
