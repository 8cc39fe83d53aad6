package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSLEngine driver with a real server engine and a real client engine back to back in memory: handshakes,
 * bytes in pieces of every size and cut at every offset, tiny scratch buffers (BUFFER_OVERFLOW), a socket that
 * fills up, delegated tasks on a worker thread, mutual TLS, close_notify, and input that is not TLS at all.
 */
class TlsEngineDriverTest {
    private static final Executor INLINE = Runnable::run;
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> new Thread(r, "tls-worker"));
    private static final TestCertificates CERTS = TestCertificates.get();
    private static final TlsContext RSA_SERVER = TlsContext.load(CERTS.serverSettings());
    /** EC P-256: cheaper handshakes, for the tests that make hundreds of them. */
    private static final TlsContext EC_SERVER = TlsContext.load(TlsSettings.pem(CERTS.ecCert, CERTS.ecKeySec1));

    /** The ClientHello of {@code openssl s_client -tls1_1 -cipher DEFAULT@SECLEVEL=0} (OpenSSL 3.0). */
    private static final String TLS11_HELLO = "16030100630100005f0302b6fb1b5f16de48bb26b679f8cefae50bee5bcce270725f7148361d5ba3fcb908000012c00a"
            + "c0140039c009c01300330035002f00ff01000024000b000403000102000a000c000a001d0017001e0019001800230000"
            + "0016000000170000";

    @AfterAll
    static void stopWorker() {
        WORKER.shutdownNow();
    }

    private static EnginePair pair(TlsContext context, String... clientProtocols) throws Exception {
        return EnginePair.of(context, CERTS, null, null, INLINE, new TlsBuffers(), clientProtocols);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeThenBytesBothWays(String protocol) throws Exception {
        EnginePair pair = pair(RSA_SERVER, protocol);
        pair.handshake();
        assertEquals(protocol, pair.server.driver.session().getProtocol());
        assertNull(ClientIdentity.commonName(pair.server.driver.session()));
        exchange(pair, bytes(1, 1), bytes(100, 2), bytes(16384, 3), bytes(16385, 4), bytes(70_000, 5));
    }

    @Test
    void delegatedTasksRunOnTheWorkerAndTheDriverResumesOnTheLoop() throws Exception {
        List<String> taskThreads = new CopyOnWriteArrayList<>();
        Executor workers = task -> WORKER.execute(() -> {
            taskThreads.add(Thread.currentThread().getName());
            task.run();
        });
        EnginePair pair = EnginePair.of(RSA_SERVER, CERTS, null, null, workers, new TlsBuffers());
        pair.handshake();
        assertFalse(taskThreads.isEmpty(), "the server's engine had handshake tasks to delegate");
        assertTrue(taskThreads.stream().allMatch("tls-worker"::equals), taskThreads.toString());
        assertTrue(pair.server.resumes > 0);
        assertSame(Thread.currentThread(), pair.server.resumedOn);
        exchange(pair, bytes(5000, 6));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 13, 100, 1000, 5000, 16_709, 16_710, 40_000})
    void clientBytesArriveInPiecesOfAnySize(int piece) throws Exception {
        EnginePair pair = pair(EC_SERVER);
        pair.clientToServerPieces = () -> piece;
        pair.handshake();
        exchange(pair, bytes(1, 7), bytes(300, 8), bytes(16384, 9), bytes(50_000, 10));
    }

    @Test
    void piecesOfChangingSizesCutRecordsEverywhere() throws Exception {
        EnginePair pair = pair(EC_SERVER);
        int[] next = {0};
        pair.clientToServerPieces = () -> 1 + (next[0]++ % 37);
        pair.handshake();
        exchange(pair, bytes(3, 11), bytes(17, 12), bytes(999, 13), bytes(33_333, 14));
    }

    /**
     * Where to cut {@code length} bytes in two: every offset through the record and handshake headers and the last
     * record's end, every {@code stride}th in between. (Pieces of one byte already cut everywhere, but in many
     * pieces; two pieces take the driver's other path: a held start topped up by one big rest.)
     */
    private static java.util.stream.IntStream awkwardCuts(int length, int stride) {
        return java.util.stream.IntStream.range(1, length)
                .filter(cut -> cut <= 16 || cut >= length - 16 || cut % stride == 0);
    }

    @Test
    void theClientHelloCutInTwoAnywhere() throws Exception {
        int length = pair(EC_SERVER).client.out.size();
        assertTrue(length > 100, "a ClientHello is hundreds of bytes, got " + length);
        for (int cut : awkwardCuts(length, 7).toArray()) {
            EnginePair pair = pair(EC_SERVER);
            byte[] hello = pair.client.out.takeAll();
            pair.server.driver.receive(ByteBuffer.wrap(hello, 0, cut));
            pair.server.driver.receive(ByteBuffer.wrap(hello, cut, hello.length - cut));
            pair.handshake();
            exchange(pair, bytes(10, cut));
        }
    }

    @Test
    void twoApplicationRecordsCutInTwoAnywhere() throws Exception {
        int length = twoRecords(pair(EC_SERVER)).length;
        for (int cut : awkwardCuts(length, 3).toArray()) {
            EnginePair pair = pair(EC_SERVER);
            byte[] records = twoRecords(pair);
            assertEquals(length, records.length);
            pair.server.driver.receive(ByteBuffer.wrap(records, 0, cut));
            pair.server.driver.receive(ByteBuffer.wrap(records, cut, records.length - cut));
            assertArrayEquals(concat(bytes(20, 1), bytes(30, 2)), pair.server.received.toByteArray(), "cut " + cut);
        }
    }

    /** After a handshake, what the client writes for two messages of 20 and 30 bytes, sent one after the other. */
    private static byte[] twoRecords(EnginePair pair) throws IOException {
        pair.handshake();
        pair.pumpUntil(() -> pair.server.out.isEmpty() && pair.client.out.isEmpty()); // tickets and the like
        pair.client.send(bytes(20, 1));
        pair.client.sendQueued();
        pair.client.send(bytes(30, 2));
        pair.client.sendQueued();
        return pair.client.out.takeAll();
    }

    @Test
    void tinyScratchBuffersOverflowAndGrowWithoutLosingABit() throws Exception {
        TlsBuffers tiny = new TlsBuffers(64, 64);
        EnginePair pair = EnginePair.of(RSA_SERVER, CERTS, null, null, INLINE, tiny);
        pair.handshake();
        exchange(pair, bytes(100_000, 15), bytes(1, 16));
        assertTrue(tiny.plaintextCapacity() >= 16384, "decrypt buffer grew to a record: " + tiny.plaintextCapacity());
        assertTrue(tiny.networkCapacity() >= 16384, "encrypt buffer grew to a record: " + tiny.networkCapacity());
    }

    @Test
    void aFullSocketKeepsRecordsInTheDriverUntilFlushedAndTheyStayBounded() throws Exception {
        EnginePair pair = pair(RSA_SERVER);
        pair.handshake();
        pair.server.out.capacity = 1000;
        int[] most = {0};
        pair.eachTurn = () -> most[0] = Math.max(most[0], pair.server.driver.bufferedBytes());
        byte[] big = bytes(1 << 20, 17);
        pair.server.send(big);
        pair.pumpUntil(() -> pair.client.received.size() == big.length);
        assertArrayEquals(big, pair.client.received.toByteArray());
        assertTrue(most[0] > 0, "the socket was full at times");
        assertTrue(most[0] <= 5 * 17 * 1024, "held at most a few records, held " + most[0]);
        assertEquals(0, pair.server.driver.bufferedBytes());
    }

    @Test
    void plaintextInsteadOfAClientHelloFailsAndTheServerAnswersWithAnAlert() throws Exception {
        EnginePair pair = pair(RSA_SERVER);
        pair.client.out.takeAll();
        byte[] json = "{\"type\":\"ping\",\"id\":1}\n".getBytes(StandardCharsets.UTF_8);
        assertThrows(SSLException.class, () -> pair.server.driver.receive(ByteBuffer.wrap(json)));
        pair.server.driver.closeOutbound();
        byte[] alert = pair.server.out.takeAll();
        assertTrue(alert.length >= 7 && alert[0] == 0x15, "a TLS alert record, got " + alert.length + " bytes");
        assertFalse(pair.server.driver.isHandshakeDone());
        assertTrue(pair.server.driver.bufferedBytes() <= 17 * 1024);
    }

    @Test
    void aTls11ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        EnginePair pair = pair(RSA_SERVER);
        byte[] hello = java.util.HexFormat.of().parseHex(TLS11_HELLO);
        pair.client.out.takeAll(); // the Java client's own hello is not sent
        pair.server.driver.receive(ByteBuffer.wrap(hello)); // the refusal comes from a delegated task
        assertThrows(SSLHandshakeException.class, () -> pair.pumpUntil(() -> false));
        pair.server.driver.closeOutbound();
        byte[] alert = pair.server.out.takeAll();
        assertEquals(7, alert.length, "one alert record");
        assertEquals(0x15, alert[0]);
        assertEquals(2, alert[5], "fatal");
        assertEquals(70, alert[6], "protocol_version");
    }

    @Test
    void aForgedRecordAfterTheHandshakeFails() throws Exception {
        EnginePair pair = pair(RSA_SERVER);
        pair.handshake();
        byte[] forged = new byte[5 + 64];
        new Random(1).nextBytes(forged);
        forged[0] = 0x17;
        forged[1] = 0x03;
        forged[2] = 0x03;
        forged[3] = 0;
        forged[4] = 64;
        assertThrows(SSLException.class, () -> pair.server.driver.receive(ByteBuffer.wrap(forged)));
    }

    @Test
    void mutualTlsMakesTheClientCertificatesCommonNameThePeerIdentity() throws Exception {
        TlsContext context = TlsContext.load(CERTS.serverSettings().withClientCa(CERTS.caCert, ClientAuth.REQUIRE));
        EnginePair pair = EnginePair.of(context, CERTS, CERTS.aliceCert, CERTS.aliceKey, INLINE, new TlsBuffers());
        pair.handshake();
        assertEquals("alice", ClientIdentity.commonName(pair.server.driver.session()));
        exchange(pair, bytes(10, 18));
    }

    @Test
    void requiredClientCertificateMissingOrFromAnotherCaFailsTheHandshake() throws Exception {
        TlsContext context = TlsContext.load(CERTS.serverSettings().withClientCa(CERTS.caCert, ClientAuth.REQUIRE));
        EnginePair without = EnginePair.of(context, CERTS, null, null, INLINE, new TlsBuffers());
        assertThrows(SSLHandshakeException.class, without::handshake);
        EnginePair stranger = EnginePair.of(context, CERTS, CERTS.malloryCert, CERTS.malloryKey, INLINE,
                new TlsBuffers());
        assertThrows(SSLHandshakeException.class, stranger::handshake);
    }

    @Test
    void optionalClientCertificateMissingIsServedWithoutIdentity() throws Exception {
        TlsContext context = TlsContext.load(CERTS.serverSettings().withClientCa(CERTS.caCert, ClientAuth.OPTIONAL));
        EnginePair pair = EnginePair.of(context, CERTS, null, null, INLINE, new TlsBuffers());
        pair.handshake();
        assertNull(ClientIdentity.commonName(pair.server.driver.session()));
        EnginePair alice = EnginePair.of(context, CERTS, CERTS.aliceCert, CERTS.aliceKey, INLINE, new TlsBuffers());
        alice.handshake();
        assertEquals("alice", ClientIdentity.commonName(alice.server.driver.session()));
    }

    @Test
    void closeNotifyEndsTheInputAndOverTls13TheServerMayStillAnswer() throws Exception {
        EnginePair pair = pair(RSA_SERVER, "TLSv1.3");
        pair.handshake();
        pair.client.send(bytes(10, 19));
        pair.pumpUntil(() -> pair.server.received.size() == 10);
        pair.client.driver.closeOutbound();
        pair.pumpUntil(pair.server.driver::isInboundDone);
        assertFalse(pair.server.driver.wantsInput());
        pair.server.send(bytes(500, 20));
        pair.pumpUntil(() -> pair.client.received.size() == 500);
        pair.server.driver.closeOutbound();
        pair.pumpUntil(pair.client.driver::isInboundDone);
    }

    @Test
    void closeNotifyOverTls12IsAnsweredWithCloseNotifyAndNothingMoreIsWritten() throws Exception {
        EnginePair pair = pair(RSA_SERVER, "TLSv1.2");
        pair.handshake();
        pair.client.driver.closeOutbound();
        pair.pumpUntil(() -> pair.server.driver.isInboundDone() && pair.client.driver.isInboundDone());
        assertThrows(ClosedChannelException.class,
                () -> pair.server.driver.write(new ByteBuffer[] {ByteBuffer.wrap(bytes(5, 21))}, 0, 1));
    }

    /** Each side sends every message to the other; both must receive exactly those bytes, in order. */
    private static void exchange(EnginePair pair, byte[]... messages) throws IOException {
        byte[] all = concat(messages);
        int serverHad = pair.server.received.size();
        int clientHad = pair.client.received.size();
        for (byte[] message : messages) {
            pair.client.send(message);
            pair.server.send(message);
        }
        pair.pumpUntil(() -> pair.server.received.size() - serverHad >= all.length
                && pair.client.received.size() - clientHad >= all.length);
        assertArrayEquals(all, tail(pair.server.received, serverHad));
        assertArrayEquals(all, tail(pair.client.received, clientHad));
    }

    private static byte[] tail(ByteArrayOutputStream stream, int from) {
        byte[] whole = stream.toByteArray();
        return java.util.Arrays.copyOfRange(whole, from, whole.length);
    }

    static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
