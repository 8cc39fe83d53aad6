package io.courier.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuProbeTest {
    @Test
    void userPlusSystemTicksAreReadAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (my) server) S 1 4242 4242 0 -1 4194560 1000 0 0 0 731 269 0 0 20 0 30 0 5";
        assertEquals(1000, CpuProbe.parseTicks(stat));
    }

    @Test
    void thisProcessHasUsedSomeCpu() throws Exception {
        assertTrue(CpuProbe.cpuSeconds(ProcessHandle.current().pid()) > 0);
    }
}
