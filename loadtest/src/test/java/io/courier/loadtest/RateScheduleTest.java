package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void requestsOfAllConnectionsTogetherAreEvenlySpaced() {
        int connections = 7;
        List<Long> times = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            RateSchedule schedule = RateSchedule.forConnection(5_000, 1000, connections, c);
            for (int k = 0; k < 100; k++) {
                times.add(schedule.take());
            }
        }
        Collections.sort(times);
        assertEquals(5_000, times.get(0));
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            assertTrue(Math.abs(gap - MS) <= 1, "gap " + i + " is " + gap + " ns, want 1 ms");
        }
    }

    @Test
    void eachConnectionSendsEveryConnectionsOverRateSeconds() {
        RateSchedule schedule = RateSchedule.forConnection(0, 1000, 4, 1);
        assertEquals(MS, schedule.take());
        assertEquals(5 * MS, schedule.take());
        assertEquals(9 * MS, schedule.take());
    }

    @Test
    void fractionalPeriodsDoNotDrift() {
        RateSchedule schedule = new RateSchedule(0, 1e9 / 3); // 333,333,333.33 ns
        assertEquals(1_000_000_000L, schedule.timeOf(3));
        assertEquals(1_000_000_000_000L, schedule.timeOf(3000));
    }

    @Test
    void aConnectionOpenedLateOwesNothingForSlotsBeforeIt() {
        RateSchedule schedule = new RateSchedule(0, MS);
        schedule.skipTo(10 * MS + 1);
        assertEquals(11 * MS, schedule.nextTime());
        schedule.skipTo(11 * MS); // never moves back, and an exact hit is not skipped
        assertEquals(11 * MS, schedule.nextTime());
    }

    @Test
    void slotsThatPassedWhileTheConnectionCouldNotSendAreOwedWithTheirOwnIntendedTimes() {
        RateSchedule schedule = new RateSchedule(0, MS);
        InFlightWindow window = new InFlightWindow();
        // The socket was full from 0 to 10.5 ms: nothing went out. Eleven slots (0..10 ms) are now due.
        long now = 10 * MS + MS / 2;
        assertEquals(11, schedule.countBefore(now + 1));
        List<Long> ids = new ArrayList<>();
        while (schedule.nextTime() <= now) {
            ids.add(window.register(schedule.take()));
        }
        assertEquals(11, ids.size());
        // The first reply arrives at 12 ms: its latency is 12 ms from its intended time, not 1.5 ms from sending.
        long replyAt = 12 * MS;
        assertEquals(12 * MS, replyAt - window.complete(ids.get(0)));
        assertEquals(2 * MS, replyAt - window.complete(ids.get(10)));
        assertEquals(11 * MS, schedule.nextTime(), "the schedule went on, not restarted from the late send");
    }

    @Test
    void countsSlotsInAnInterval() {
        RateSchedule schedule = new RateSchedule(0, MS);
        assertEquals(5, schedule.countBetween(Long.MIN_VALUE, 5 * MS)); // 0,1,2,3,4
        assertEquals(3, schedule.countBetween(2 * MS, 5 * MS));        // 2,3,4
        schedule.take();
        schedule.take();
        schedule.take();
        assertEquals(2, schedule.countBetween(Long.MIN_VALUE, 5 * MS)); // 3,4 not yet taken
        assertEquals(0, schedule.countBetween(7 * MS, 5 * MS));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RateSchedule(0, 0));
        assertThrows(IllegalArgumentException.class, () -> RateSchedule.forConnection(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> RateSchedule.forConnection(0, 10, 2, 2));
    }
}
