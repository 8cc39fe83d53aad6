package io.courier.loadtest;

/** Keeps {@code depth} requests in flight on each connection: a new one goes out as each reply comes in. */
final class ClosedLoopTraffic implements Traffic {
    private final int depth;

    ClosedLoopTraffic(int depth) {
        this.depth = depth;
    }

    @Override
    public void onEstablished(LoadConnection connection, long now) {
        fill(connection, now);
        connection.flush();
    }

    @Override
    public void onAnswered(LoadConnection connection, long now) {
        fill(connection, now); // the connection flushes once after the whole read
    }

    private void fill(LoadConnection connection, long now) {
        while (connection.outstanding() < depth && connection.mayIssue(now)) {
            connection.issue(now);
        }
    }
}
