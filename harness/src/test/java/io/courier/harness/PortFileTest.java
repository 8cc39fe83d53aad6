package io.courier.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheServersLinesInOrderWithV6AndMetrics() {
        List<PortFile.Entry> entries = PortFile.parse(List.of("tcp 127.0.0.1:41235", "tcp [::1]:41236",
                "udp 127.0.0.1:41237", "unix /run/courier.sock", "metrics 127.0.0.1:9100", ""));

        assertEquals(5, entries.size());
        assertEquals(new InetSocketAddress("127.0.0.1", 41235), PortFile.firstTcp(entries).orElseThrow());
        assertEquals(new InetSocketAddress("::1", 41236), entries.get(1).inetAddress());
        assertEquals("/run/courier.sock", entries.get(3).address());
        assertEquals("metrics", entries.get(4).kind());
    }

    @Test
    void whatIsWrittenIsReadBackAndNoTemporaryFileStays() throws Exception {
        Path file = dir.resolve("peer.port");
        assertTrue(PortFile.read(file).isEmpty(), "not there yet");

        PortFile.writeTcp(file, List.of(new InetSocketAddress("127.0.0.1", 6667)));

        assertEquals(List.of("tcp 127.0.0.1:6667"), Files.readAllLines(file));
        assertEquals(List.of(new PortFile.Entry("tcp", "127.0.0.1:6667")), PortFile.read(file).orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aTlsListenerIsWrittenAfterTheTcpOneAndFoundByItsKind() throws Exception {
        Path file = dir.resolve("tls.port");

        PortFile.write(file, List.of(PortFile.entry("tcp", new InetSocketAddress("127.0.0.1", 6667)),
                PortFile.entry("tls", new InetSocketAddress("::1", 6697))));

        assertEquals(List.of("tcp 127.0.0.1:6667", "tls [0:0:0:0:0:0:0:1]:6697"), Files.readAllLines(file));
        List<PortFile.Entry> entries = PortFile.read(file).orElseThrow();
        assertEquals(new InetSocketAddress("::1", 6697), PortFile.first(entries, "tls").orElseThrow());
        assertEquals(new InetSocketAddress("127.0.0.1", 6667), PortFile.firstTcp(entries).orElseThrow());
        assertTrue(PortFile.first(entries, "udp").isEmpty());
    }

    @Test
    void aLineWithoutKindAndAddressIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PortFile.parse(List.of("41235")));
    }
}
