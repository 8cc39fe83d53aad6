package io.courier.soak;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomLedgerTest {
    private static final List<String> MEMBERS = List.of("a", "b");

    private static RoomLedger saidThree() {
        RoomLedger ledger = new RoomLedger();
        for (long seq = 1; seq <= 3; seq++) {
            ledger.said("a", seq);
        }
        return ledger;
    }

    @Test
    void everyMemberGettingEveryMessageOnceInOrderIsClean() {
        RoomLedger ledger = saidThree();
        for (String member : MEMBERS) {
            for (long seq = 1; seq <= 3; seq++) {
                ledger.received(member, "a", seq);
            }
        }
        RoomLedger.Result result = ledger.verify(MEMBERS);
        assertEquals(6, result.expected());
        assertEquals(6, result.delivered());
        assertEquals(0, result.problems(), result.samples().toString());
        assertTrue(ledger.settled(MEMBERS));
    }

    @Test
    void missingDuplicatedReorderedAndUnknownMessagesAreEachCounted() {
        RoomLedger ledger = saidThree();
        ledger.received("a", "a", 1);
        ledger.received("a", "a", 3);
        ledger.received("a", "a", 2);       // out of order
        ledger.received("b", "a", 1);
        ledger.received("b", "a", 1);       // duplicated
        ledger.received("b", "a", 9);       // never acknowledged
        ledger.received("b", "ghost", 1);   // a sender that never said anything
        RoomLedger.Result result = ledger.verify(MEMBERS);
        assertEquals(1, result.reordered());
        assertEquals(1, result.duplicated());
        assertEquals(2, result.missing(), "b never got 2 and 3");
        assertEquals(2, result.unknown());
        assertEquals(4, result.delivered());
        assertFalse(result.samples().isEmpty());
        assertFalse(ledger.settled(MEMBERS));
    }

    @Test
    void aPassingMemberMustBeSeenJoiningAndLeavingOnceByEveryone() {
        RoomLedger ledger = new RoomLedger();
        ledger.passedThrough("p1");
        ledger.joined("a", "p1");
        ledger.left("a", "p1");
        ledger.joined("b", "p1");
        assertEquals(1, ledger.verify(MEMBERS).presence(), "b never saw p1 leave");
        assertFalse(ledger.settled(MEMBERS));
        ledger.left("b", "p1");
        assertEquals(0, ledger.verify(MEMBERS).problems());
        ledger.joined("lurker-1", "p1"); // events of non-members are not checked
        ledger.joined("a", "lurker-7");  // nor the coming and going of names that did not pass through
        assertTrue(ledger.settled(MEMBERS));
    }
}
