package io.courier.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryProbeTest {
    @Test
    void readsG1HeapUsedAndIgnoresMetaspace() {
        String heapInfo = "12345:\n"
                + " garbage-first heap   total 1048576K, used 23456K [0x00000000c0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 1 young (1024K), 0 survivors (0K)\n"
                + " Metaspace       used 6123K, committed 6336K, reserved 1114112K\n"
                + "  class space    used 612K, committed 704K, reserved 1048576K\n";

        assertEquals(23456L * 1024, MemoryProbe.parseHeapUsedBytes(heapInfo));
    }

    @Test
    void sumsTheGenerationsOfParallelAndSerialHeaps() {
        String parallel = "77:\n"
                + " PSYoungGen      total 305664K, used 10486K [0x00000000eab00000, 0x0000000100000000)\n"
                + "  eden space 262144K, 4% used [0x00000000eab00000,0x00000000eb53d8f8,0x00000000fab00000)\n"
                + " ParOldGen       total 699392K, used 2048K [0x00000000c0000000, 0x00000000eab00000)\n"
                + " Metaspace       used 3000K, committed 3200K, reserved 1056768K\n";

        assertEquals((10486L + 2048) * 1024, MemoryProbe.parseHeapUsedBytes(parallel));
    }

    @Test
    void readsZgcStyleUsedCapacity() {
        assertEquals(8L << 20, MemoryProbe.parseHeapUsedBytes(" ZHeap           used 8M, capacity 1024M, max capacity 1024M\n"));
    }

    @Test
    void outputWithoutAHeapLineIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> MemoryProbe.parseHeapUsedBytes("12345:\nCould not attach to 12345\n"));
    }

    @Test
    void readsVmRssFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t  100000 kB\n";

        assertEquals(123456L * 1024, MemoryProbe.parseVmRssBytes(status));
        assertThrows(IllegalArgumentException.class, () -> MemoryProbe.parseVmRssBytes("Name:\tjava\n"));
    }

    @Test
    void readsTheLiveBytesFromTheClassHistogramTotal() {
        String histogram = "12533:\n"
                + " num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:         18001        5025416  [B (java.base@17.0.15)\n"
                + "   2:          3428         416552  java.lang.Class (java.base@17.0.15)\n"
                + "Total         83189        7945712\n";

        assertEquals(7945712L, MemoryProbe.parseHistogramTotalBytes(histogram));
        assertThrows(IllegalArgumentException.class, () -> MemoryProbe.parseHistogramTotalBytes("12533:\n"));
    }
}
