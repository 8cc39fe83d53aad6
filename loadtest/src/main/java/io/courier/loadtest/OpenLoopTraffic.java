package io.courier.loadtest;

/**
 * Sends at the connection's share of the total rate, at the times of its {@link RateSchedule}. A request goes out
 * as soon as its intended time has come and the socket takes it; while the socket is full the slots keep passing
 * and are sent, with their original intended times, once it drains. So a server that stops reading shows its
 * stall in the latencies instead of slowing the client down (no coordinated omission).
 */
final class OpenLoopTraffic implements Traffic {
    /** Above this many pending bytes, write before encoding more (bounds memory while the socket is full). */
    static final int PENDING_HIGH_WATER = 64 * 1024;
    /** Requests issued per turn at most, so a long backlog on one connection does not starve the others. */
    static final int MAX_PER_TURN = 4096;

    private final RateSchedule schedule;

    OpenLoopTraffic(RateSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public void onEstablished(LoadConnection connection, long now) {
        schedule.skipTo(now); // slots before the connection existed are not owed: that was connect time
        send(connection, now);
    }

    @Override
    public void onTimer(LoadConnection connection, long now) {
        send(connection, now);
    }

    @Override
    public void onWritable(LoadConnection connection, long now) {
        send(connection, now);
    }

    @Override
    public boolean hasWork(LoadConnection connection) {
        return connection.outstanding() > 0 || connection.mayIssue(schedule.nextTime());
    }

    @Override
    public void abandon(LoadConnection connection, long now) {
        long limit = Math.min(now, connection.sendLimitNanos());
        long measureStart = connection.measureStartNanos();
        long warmup = schedule.countBetween(Long.MIN_VALUE, Math.min(limit, measureStart));
        long measured = Math.min(connection.quota(), schedule.countBetween(measureStart, limit));
        connection.countUnsent(warmup, measured);
    }

    private void send(LoadConnection connection, long now) {
        int budget = MAX_PER_TURN;
        while (true) {
            long intended = schedule.nextTime();
            if (intended > now || !connection.mayIssue(intended)) {
                break;
            }
            if (budget-- == 0) {
                if (connection.flush()) {
                    connection.scheduleTimer(now); // more is due: continue on the next turn
                }
                return;
            }
            if (connection.pendingBytes() >= PENDING_HIGH_WATER && !connection.flush()) {
                return; // the socket is full: onWritable continues
            }
            schedule.take();
            connection.issue(intended);
        }
        if (!connection.flush()) {
            return;
        }
        long next = schedule.nextTime();
        if (connection.mayIssue(next)) {
            connection.scheduleTimer(next);
        }
    }

    RateSchedule schedule() {
        return schedule;
    }
}
