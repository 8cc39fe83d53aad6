package io.courier.server.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context new connections get, swappable at run time: {@link #reload} reads the files again (a renewed
 * certificate, a new client CA) and, only if everything loads, makes that the context of every later handshake.
 * Connections already open keep the engine they have. Safe to use from any thread.
 */
public final class TlsContextHolder {
    private static final Logger log = LoggerFactory.getLogger(TlsContextHolder.class);

    private volatile TlsContext current;

    /** Loads the files now; a start with a wrong file fails here. */
    public TlsContextHolder(TlsSettings settings) {
        this.current = TlsContext.load(settings);
    }

    public TlsContext current() {
        return current;
    }

    /**
     * Reads the same files again. On failure the current context stays in use and the exception (one sentence)
     * is thrown; the caller logs it.
     */
    public TlsContext reload() {
        TlsContext fresh = TlsContext.load(current.settings());
        current = fresh;
        log.info("TLS reloaded: {}", fresh.describe());
        return fresh;
    }
}
