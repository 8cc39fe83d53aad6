package io.courier.server.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** What handlers asked to run when a connection ends ({@code Session.onClose}). Loop-thread only. */
final class CloseCallbacks {
    private static final Logger log = LoggerFactory.getLogger(CloseCallbacks.class);

    private List<Runnable> callbacks;

    void add(Runnable callback) {
        if (callbacks == null) {
            callbacks = new ArrayList<>(2);
        }
        callbacks.add(callback);
    }

    /** Runs each once; one that throws is logged and does not stop the others. */
    void runAll(Object owner) {
        if (callbacks == null) {
            return;
        }
        List<Runnable> due = callbacks;
        callbacks = null;
        for (Runnable callback : due) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("{}: a close callback failed", owner, e);
            }
        }
    }
}
