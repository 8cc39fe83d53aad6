package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryWindowTest {
    @Test
    void aSlotFreesOnlyWhenEveryMemberHasTheMessage() throws InterruptedException {
        DeliveryWindow window = new DeliveryWindow(2, 3);
        assertTrue(window.acquire(0));
        assertTrue(window.acquire(0));
        assertFalse(window.acquire(0), "two messages on their way: the window is full");
        window.delivered(1);
        window.delivered(1);
        assertFalse(window.acquire(0), "two of three members have message 1");
        window.delivered(1);
        assertEquals(1, window.inFlight());
        assertTrue(window.acquire(0), "message 1 reached everyone: message 3 may go");
        for (int member = 0; member < 3; member++) {
            window.delivered(2);
            window.delivered(3); // slot of message 1, reused
        }
        assertEquals(0, window.inFlight());
    }
}
