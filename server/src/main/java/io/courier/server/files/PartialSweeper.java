package io.courier.server.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes partial uploads nobody has written to for {@code partial-max-age}. There is no timer thread: the sweep
 * runs on a worker, at the first upload or listing after start and then at most once a minute (or once per
 * max age, if shorter) as new uploads start. Uploads a connection is writing now are never swept.
 */
final class PartialSweeper {
    private static final Logger log = LoggerFactory.getLogger(PartialSweeper.class);
    private static final long MAX_INTERVAL_MILLIS = 60_000;

    private final FileStore store;
    private final UploadRegistry registry;
    private final AtomicLong nextSweepMillis = new AtomicLong();

    PartialSweeper(FileStore store, UploadRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Sweeps if the last sweep is long enough ago; one caller sweeps, the others go on at once. */
    void sweepIfDue() throws IOException {
        long maxAgeMillis = store.config().partialMaxAge().toMillis();
        if (maxAgeMillis == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long due = nextSweepMillis.get();
        if (now < due || !nextSweepMillis.compareAndSet(due, now + Math.min(maxAgeMillis, MAX_INTERVAL_MILLIS))) {
            return;
        }
        sweep(now - maxAgeMillis);
    }

    /** Deletes every idle partial upload last written before {@code cutoffMillis}; returns how many. */
    int sweep(long cutoffMillis) throws IOException {
        int swept = 0;
        for (String name : store.stalePartials(cutoffMillis)) {
            UploadRegistry.Upload upload = registry.idle(name);
            if (upload == null) {
                continue; // a connection is writing it right now
            }
            synchronized (upload) {
                if (store.partialOlderThan(name, cutoffMillis)) {
                    long size = store.partialSize(name);
                    store.discardPartial(name);
                    upload.reset();
                    swept++;
                    log.info("Deleted the partial upload of \"{}\" ({} bytes), untouched for more than {}", name,
                            size, store.config().partialMaxAge());
                }
            }
            registry.forgetIfIdle(upload);
        }
        for (String name : registry.idleNames()) {
            if (store.partialSize(name) < 0) {
                UploadRegistry.Upload upload = registry.idle(name);
                if (upload != null) {
                    registry.forgetIfIdle(upload); // abandoned before its first byte
                }
            }
        }
        return swept;
    }
}
