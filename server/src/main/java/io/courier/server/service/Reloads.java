package io.courier.server.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What SIGHUP reloads: every registered {@link Reloadable}, each on its own, never stopping the server. */
public final class Reloads {
    private static final Logger log = LoggerFactory.getLogger(Reloads.class);

    private final List<Reloadable> reloadables = new CopyOnWriteArrayList<>();

    public void add(Reloadable reloadable) {
        reloadables.add(reloadable);
    }

    /** Reloads each in turn; a failure is logged (one line) and the others still reload. */
    public void reloadAll(String signal) {
        if (reloadables.isEmpty()) {
            log.info("SIG{}: nothing to reload yet; the server keeps running", signal);
            return;
        }
        for (Reloadable reloadable : reloadables) {
            try {
                reloadable.reload();
                log.info("SIG{}: reloaded {}", signal, reloadable.name());
            } catch (Exception | LinkageError e) {
                log.error("SIG{}: reloading {} failed, keeping what was loaded before: {}", signal,
                        reloadable.name(), e instanceof IllegalArgumentException ? e.getMessage() : e.toString());
            }
        }
    }
}
