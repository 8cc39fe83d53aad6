package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimerQueueTest {
    private final TimerQueue timers = new TimerQueue();

    private static LoadConnection connection(int index) {
        return new LoadConnection(null, index, new ClosedLoopTraffic(1), 0);
    }

    @Test
    void firesDueTimersInDeadlineOrder() {
        LoadConnection a = connection(0);
        LoadConnection b = connection(1);
        timers.schedule(a, 30);
        timers.schedule(b, 10);
        assertEquals(10, timers.nextDeadline());
        List<LoadConnection> fired = new ArrayList<>();
        timers.runDue(20, (connection, now) -> fired.add(connection));
        assertEquals(List.of(b), fired);
        assertEquals(30, timers.nextDeadline());
    }

    @Test
    void reschedulingOrCancellingMakesTheOlderTimerStale() {
        LoadConnection a = connection(0);
        timers.schedule(a, 10);
        timers.schedule(a, 50);
        assertEquals(50, timers.nextDeadline());
        timers.cancel(a);
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
        List<LoadConnection> fired = new ArrayList<>();
        timers.runDue(100, (connection, now) -> fired.add(connection));
        assertEquals(List.of(), fired);
    }

    @Test
    void aTimerScheduledForNowWhileFiringWaitsForTheNextTurn() {
        LoadConnection a = connection(0);
        timers.schedule(a, 5);
        int[] fired = {0};
        timers.runDue(10, (connection, now) -> {
            fired[0]++;
            timers.schedule(connection, now); // "continue at once": must not loop within this call
        });
        assertEquals(1, fired[0]);
        assertEquals(10, timers.nextDeadline());
    }
}
