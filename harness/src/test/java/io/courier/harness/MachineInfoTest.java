package io.courier.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MachineInfoTest {
    @Test
    void cpuModelIsTheFirstModelName() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n";

        assertEquals("AMD EPYC 7B13 64-Core Processor", MachineInfo.cpuModel(cpuinfo));
        assertEquals("unknown", MachineInfo.cpuModel(""));
    }

    @Test
    void memoryIsMemTotalInGibibytes() {
        assertEquals("23.5 GiB", MachineInfo.memTotal("MemTotal:       24683520 kB\nMemFree:  1 kB\n"));
        assertEquals("unknown", MachineInfo.memTotal(""));
    }
}
