package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import static io.courier.loadtest.InFlightWindow.State.ANSWERED;
import static io.courier.loadtest.InFlightWindow.State.NEVER_SENT;
import static io.courier.loadtest.InFlightWindow.State.OUTSTANDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightWindowTest {

    @Test
    void idsAreASequenceFromOneAndRepliesMayComeInAnyOrder() {
        InFlightWindow window = new InFlightWindow();
        assertEquals(1, window.register(100));
        assertEquals(2, window.register(200));
        assertEquals(3, window.register(300));
        assertEquals(200, window.complete(2));
        assertEquals(300, window.complete(3));
        assertEquals(1, window.outstanding());
        assertEquals(OUTSTANDING, window.state(1));
        assertEquals(100, window.complete(1));
        assertEquals(0, window.outstanding());
    }

    @Test
    void tellsDuplicatesFromIdsNeverSent() {
        InFlightWindow window = new InFlightWindow();
        window.register(1);
        window.register(2);
        window.complete(1);
        assertEquals(ANSWERED, window.state(1));
        assertEquals(OUTSTANDING, window.state(2));
        assertEquals(NEVER_SENT, window.state(3));
        assertEquals(NEVER_SENT, window.state(0));
        assertEquals(NEVER_SENT, window.state(-5));
        assertThrows(IllegalStateException.class, () -> window.complete(1));
    }

    @Test
    void growsPastItsInitialCapacityKeepingStartTimes() {
        InFlightWindow window = new InFlightWindow();
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, window.register(i * 10L));
        }
        window.complete(500);
        for (int i = 1001; i <= 3000; i++) {
            window.register(i * 10L);
        }
        for (int i = 1; i <= 3000; i++) {
            if (i != 500) {
                assertEquals(i * 10L, window.complete(i));
            }
        }
        assertEquals(0, window.outstanding());
    }

    @Test
    void anUnansweredRequestIsEvictedOnceTheWindowSpansItsMaximum() {
        InFlightWindow window = new InFlightWindow(16);
        window.register(0); // id 1 never answered
        for (int i = 2; i <= 16; i++) {
            window.complete(window.register(0));
        }
        assertTrue(window.isFull());
        assertEquals(1, window.evictOldest());
        assertFalse(window.isFull());
        assertEquals(ANSWERED, window.state(1));
        assertEquals(17, window.register(0));
    }

    @Test
    void abandonAllGivesUpOnEveryOutstandingRequest() {
        InFlightWindow window = new InFlightWindow();
        for (int i = 0; i < 20; i++) {
            window.register(i);
        }
        window.complete(5);
        assertEquals(19, window.abandonAll());
        assertEquals(0, window.outstanding());
        assertEquals(ANSWERED, window.state(7));
        assertEquals(21, window.register(0));
    }
}
