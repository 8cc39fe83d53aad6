package io.courier.loadtest;

import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.HdrHistogram.Histogram;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out mode ({@code --fanout-members N}): N members join one room, spread round-robin over the {@code --target}s;
 * P publishers join it on {@code --publisher-target} (default: the first target) and {@code room.say} into it.
 * Every member checks every delivery ({@link FanoutMember}); after the grace period, deliveries still missing are
 * lost. Connections are blocking {@link MessageClient}s, a reader thread each: fan-out costs the server N writes
 * per say, so the client's cost per connection matters less than in echo mode, and the client stays simple.
 */
final class FanoutRunner {
    private static final long SECOND = 1_000_000_000L;
    private static final long DRAIN_POLL_NANOS = 10_000_000L;
    private static final int JOIN_THREADS = 16;

    private final LoadOptions options;
    private final PrintStream out;
    private final ErrorSamples samples = new ErrorSamples(ErrorSamples.DEFAULT_CAPACITY);
    private final FanoutRun run;
    private final List<MessageClient> memberClients = new ArrayList<>();
    private final List<FanoutMember> members = new ArrayList<>();
    private final List<MessageClient> publisherClients = new ArrayList<>();
    private final List<FanoutPublisher> publishers = new ArrayList<>();
    private final AtomicLong publisherEvents = new AtomicLong();
    private long connectFailures;
    private long disconnects;

    FanoutRunner(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.run = new FanoutRun(options.room(), options.textBytes(), samples);
    }

    /** Stops the publishers; the run drains and reports as usual. Safe from any thread. */
    void requestStop() {
        run.stopSending();
    }

    Report run() throws IOException, InterruptedException {
        out.println(banner());
        try {
            joinMembers();
            joinPublishers();
            long start = System.nanoTime();
            long measureStart = start + options.warmup().toNanos();
            Timeline timeline = new Timeline(start, 0, measureStart, measureStart + options.duration().toNanos(),
                    members.size() + publisherClients.size());
            run.begin(timeline, publisherClients.size(), options.depth(), Math.max(1, members.size()));
            if (members.isEmpty() || publisherClients.isEmpty()) {
                run.stopSending(); // nothing to measure: report the connect failures
            }
            List<Thread> threads = startPublishers(timeline);
            awaitEnd(timeline);
            for (Thread thread : threads) {
                thread.join(options.connectTimeout().toMillis());
            }
            return report(timeline);
        } finally {
            for (MessageClient client : memberClients) {
                client.close();
            }
            for (MessageClient client : publisherClients) {
                client.close();
            }
        }
    }

    private void joinMembers() throws IOException, InterruptedException {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (Target target : options.targets()) {
            targets.add(address(target));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(JOIN_THREADS, options.fanoutMembers()));
        try {
            List<Future<MessageClient>> joins = new ArrayList<>();
            List<FanoutMember> candidates = new ArrayList<>();
            for (int i = 0; i < options.fanoutMembers(); i++) {
                FanoutMember member = new FanoutMember("m" + i, run, options.publishers());
                candidates.add(member);
                InetSocketAddress target = targets.get(i % targets.size());
                String name = "m" + i;
                joins.add(pool.submit(() -> join(target, name, member::accept)));
            }
            for (int i = 0; i < joins.size(); i++) {
                MessageClient client = joined(joins.get(i), "member m" + i);
                if (client != null) {
                    memberClients.add(client);
                    members.add(candidates.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void joinPublishers() throws IOException {
        Target target = options.publisherTarget() != null ? options.publisherTarget() : options.targets().get(0);
        InetSocketAddress address = address(target);
        for (int p = 0; p < options.publishers(); p++) {
            String name = "p" + p;
            // A publisher is a member too (only members may say) and gets every message; it counts, not checks.
            try {
                publisherClients.add(join(address, name, event -> {
                    if ("room.message".equals(event.type())) {
                        publisherEvents.incrementAndGet();
                    }
                }));
            } catch (Exception e) {
                connectFailures++;
                samples.add("publisher " + name + ": connect or join failed: " + e);
            }
        }
    }

    private MessageClient join(InetSocketAddress target, String name, java.util.function.Consumer<Message> listener)
            throws Exception {
        SSLContext tls = options.clientTls() == null ? null : options.clientTls().context();
        MessageClient client = MessageClient.connect(target, options.framing(), options.connectTimeout(),
                Limits.DEFAULTS, tls);
        try {
            client.addEventListener(listener); // before the join: nothing said after it is missed
            client.callOk(Message.of("room.join").with("room", options.room()).with("name", name),
                    options.connectTimeout());
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    /** The joined client, or null after counting and describing the failure. */
    private MessageClient joined(Future<MessageClient> join, String who) throws InterruptedException {
        try {
            return join.get();
        } catch (java.util.concurrent.ExecutionException e) {
            connectFailures++;
            samples.add(who + ": connect or join failed: " + e.getCause());
            return null;
        }
    }

    private List<Thread> startPublishers(Timeline timeline) {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publisherClients.size(); p++) {
            RateSchedule schedule = options.rate() > 0 ? RateSchedule.forConnection(timeline.startNanos(),
                    options.rate(), publisherClients.size(), p) : null;
            FanoutPublisher publisher = new FanoutPublisher(p, publisherClients.get(p), run, schedule);
            publishers.add(publisher);
            Thread thread = new Thread(publisher, "fanout-publisher-" + p);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    /** Progress each second until sending stops, then until every delivery has come or the grace period is over. */
    private void awaitEnd(Timeline timeline) throws InterruptedException {
        long nextTick = timeline.startNanos() + SECOND;
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                String line = run.sampler().line(now, errorsSoFar(), open(), open());
                if (options.progress()) {
                    out.println(line);
                    out.flush();
                }
                nextTick += SECOND;
            }
            if (drainDeadline == Long.MAX_VALUE && run.sendingOver(now)) {
                drainDeadline = now + options.grace().toNanos();
            }
            if (drainDeadline != Long.MAX_VALUE && (allDelivered() || now >= drainDeadline)) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(DRAIN_POLL_NANOS, nextTick - now) / 1_000_000));
        }
    }

    private boolean allDelivered() {
        long published = published();
        for (FanoutPublisher publisher : publishers) {
            if (publisher.answered() < publisher.published()) {
                return false;
            }
        }
        for (FanoutMember member : members) {
            if (member.delivered() < published) {
                return false;
            }
        }
        return true;
    }

    private long published() {
        return publishers.stream().mapToLong(FanoutPublisher::published).sum();
    }

    private long open() {
        return memberClients.stream().filter(MessageClient::isOpen).count()
                + publisherClients.stream().filter(MessageClient::isOpen).count();
    }

    private long errorsSoFar() {
        return connectFailures + members.stream().mapToLong(m -> m.duplicated() + m.outOfOrder() + m.malformed())
                .sum() + publishers.stream().mapToLong(FanoutPublisher::errorReplies).sum();
    }

    private Report report(Timeline timeline) {
        long held = open();
        for (MessageClient client : memberClients) {
            disconnects += client.isOpen() ? 0 : 1;
        }
        for (FanoutPublisher publisher : publishers) {
            disconnects += publisher.disconnected() ? 1 : 0;
        }
        int memberCount = members.size();
        long publishedWarmup = publishers.stream().mapToLong(FanoutPublisher::publishedWarmup).sum();
        long publishedMeasured = publishers.stream().mapToLong(FanoutPublisher::publishedMeasured).sum();
        long deliveredWarmup = members.stream().mapToLong(FanoutMember::deliveredWarmup).sum();
        long deliveredMeasured = members.stream().mapToLong(FanoutMember::deliveredMeasured).sum();
        long unanswered = publishers.stream().mapToLong(p -> Math.max(0, p.published() - p.answered())).sum();
        long missing = Math.max(0, (publishedWarmup + publishedMeasured) * memberCount - deliveredWarmup
                - deliveredMeasured);
        if (missing > 0) {
            samples.add(missing + " delivery(ies) had not come " + options.grace().toMillis()
                    + " ms after sending stopped (lost)");
        }
        long duplicated = members.stream().mapToLong(FanoutMember::duplicated).sum();
        long outOfOrder = members.stream().mapToLong(FanoutMember::outOfOrder).sum();
        long malformed = members.stream().mapToLong(FanoutMember::malformed).sum();
        long errorReplies = publishers.stream().mapToLong(FanoutPublisher::errorReplies).sum();
        ErrorCounts errors = new ErrorCounts(missing + unanswered, duplicated, outOfOrder + malformed, errorReplies,
                connectFailures, disconnects);
        Histogram latency = run.sampler().measuredHistogram();
        long end = Math.max(run.stopSendingNanos(), timeline.measureStartNanos());
        double seconds = Math.max(0, end - timeline.measureStartNanos()) / 1e9;
        String publisherTarget = (options.publisherTarget() != null ? options.publisherTarget()
                : options.targets().get(0)).toString();
        FanoutFigures fanout = new FanoutFigures(memberCount, publishers.size(), options.room(), publishedMeasured,
                seconds > 0 ? publishedMeasured / seconds : 0, outOfOrder, unanswered, publisherTarget);
        Report report = new Report(options.target(), Mode.FANOUT, LoadRunner.framingName(options.framing()),
                "room.say", memberCount + publishers.size(), options.rate() > 0 ? 0 : options.depth(),
                options.rate(), options.textBytes(), 0, seconds, publishedMeasured * memberCount, deliveredMeasured,
                publishedWarmup * memberCount, deliveredWarmup, seconds > 0 ? deliveredMeasured / seconds : 0,
                LatencySummary.of(latency), errors, Map.of(), publisherEvents.get(), 0, 0, held,
                Math.max(held, run.sampler().peakHeld()), 0, latency, samples.snapshot(), null,
                run.sampler().intervals(), fanout);
        return report;
    }

    private static InetSocketAddress address(Target target) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
    }

    private String banner() {
        String load = options.rate() > 0 ? ReportWriter.trim(options.rate()) + " publishes/s in total (open loop)"
                : "closed loop, up to " + options.depth() + " message(s) per publisher not yet delivered to every "
                + "member";
        return String.format(Locale.ROOT, "Fan-out load of %s: %d member(s) round-robin over the targets, %d "
                        + "publisher(s) on %s, room %s, %d-byte texts, %s; %.1fs after warm-up %.1fs",
                options.target(), options.fanoutMembers(), options.publishers(),
                options.publisherTarget() != null ? options.publisherTarget() : options.targets().get(0),
                options.room(), options.textBytes(), load, options.duration().toNanos() / 1e9,
                options.warmup().toNanos() / 1e9);
    }
}
