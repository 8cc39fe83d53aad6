package io.courier.server.metrics;

/** A server's life: built, then accepting, then draining at shutdown, then stopped. */
public enum ServerState {
    /** Built, its listeners not yet accepting. */
    STARTING,
    /** Every listener accepts and the loop serves. */
    ACCEPTING,
    /** Shutting down: no new connections, the open ones finish. */
    DRAINING,
    /** The event loop has ended (after a shutdown, or a fatal failure). */
    STOPPED
}
