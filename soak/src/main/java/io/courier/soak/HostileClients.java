package io.courier.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of hostile clients: one starts every {@code hostile-interval}, the kinds in turn, at most
 * {@code hostile-concurrency} at once (a start is skipped while that many run). Each outcome is tallied per kind;
 * an outcome PROTOCOL.md does not promise is kept in words.
 */
final class HostileClients {
    private final int port;
    private final Semaphore slots;
    private final ExecutorService pool;
    private final ScheduledExecutorService ticker;
    private final Map<HostileKind, Tally> tallies = new EnumMap<>(HostileKind.class);
    private final Set<HostileSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong launched = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    private HostileClients(int port, int concurrency) {
        this.port = port;
        this.slots = new Semaphore(concurrency);
        this.pool = Executors.newFixedThreadPool(concurrency, daemons("soak-hostile-"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemons("soak-hostile-ticker-"));
        for (HostileKind kind : HostileKind.values()) {
            tallies.put(kind, new Tally());
        }
    }

    static HostileClients start(SoakConfig config, int port) {
        HostileClients clients = new HostileClients(port, config.hostileConcurrency());
        long every = config.hostileInterval().toNanos();
        clients.ticker.scheduleAtFixedRate(clients::launch, every, every, TimeUnit.NANOSECONDS);
        return clients;
    }

    private void launch() {
        if (!slots.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        long number = launched.getAndIncrement();
        HostileKind kind = HostileKind.values()[(int) (number % HostileKind.values().length)];
        try {
            pool.execute(() -> {
                try {
                    run(kind, number / HostileKind.values().length);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException rejected) {
            slots.release(); // stopping
        }
    }

    private void run(HostileKind kind, long number) {
        Tally tally = tallies.get(kind);
        Random random = new Random(number * 31 + kind.ordinal());
        HostileKind.Attack attack = new HostileKind.Attack() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public long number() {
                return number;
            }

            @Override
            public Random random() {
                return random;
            }

            @Override
            public HostileSocket connect(int receiveBuffer) throws IOException {
                return HostileSocket.connect(port, receiveBuffer, open);
            }
        };
        tally.count("started");
        String outcome;
        try {
            outcome = kind.attack(attack);
        } catch (InterruptedException e) {
            outcome = "interrupted";
        } catch (IOException | RuntimeException e) {
            outcome = "failed: " + e.getClass().getSimpleName();
            tally.problem("unexpected", kind.label() + " #" + number + ": " + e);
            tally.count("outcome: " + outcome);
            return;
        }
        tally.count("outcome: " + outcome);
        if (!kind.expected(outcome) && !"interrupted".equals(outcome)) {
            tally.problem("unexpected", kind.label() + " #" + number + ": " + outcome);
        }
    }

    /** Stops starting new clients, waits (bounded) for the running ones, closes any left, and sums up. */
    List<HostileSummary> finish(Duration timeout) throws InterruptedException {
        ticker.shutdownNow();
        pool.shutdown();
        if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
            new ArrayList<>(open).forEach(HostileSocket::close);
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        List<HostileSummary> summaries = new ArrayList<>();
        for (HostileKind kind : HostileKind.values()) {
            Tally tally = tallies.get(kind);
            Map<String, Long> outcomes = new java.util.TreeMap<>();
            tally.snapshot().forEach((label, count) -> {
                if (label.startsWith("outcome: ")) {
                    outcomes.put(label.substring("outcome: ".length()), count);
                }
            });
            summaries.add(new HostileSummary(kind.label(), tally.get("started"), tally.get("unexpected"), outcomes,
                    tally.samples()));
        }
        return summaries;
    }

    /** Starts that were skipped because {@code hostile-concurrency} clients were still running. */
    long skipped() {
        return skipped.get();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
