package io.courier.loadtest;

/**
 * When a connection sends: the closed loop, the open loop and hold mode differ only here. Called on the
 * connection's client thread; the connection does the I/O, matching and counting.
 */
interface Traffic {
    /** The connection has just been established. */
    void onEstablished(LoadConnection connection, long now);

    /** A reply answered one of the connection's requests (correctly or not). */
    default void onAnswered(LoadConnection connection, long now) {
    }

    /** The connection's timer is due. */
    default void onTimer(LoadConnection connection, long now) {
    }

    /** The connection's pending bytes have all gone out after the socket had been full. */
    default void onWritable(LoadConnection connection, long now) {
    }

    /** True while the connection owes requests or awaits replies (the run drains until none does). */
    default boolean hasWork(LoadConnection connection) {
        return connection.outstanding() > 0;
    }

    /** At the end of the run: count the requests that were due but never went out (they are lost). */
    default void abandon(LoadConnection connection, long now) {
    }
}
