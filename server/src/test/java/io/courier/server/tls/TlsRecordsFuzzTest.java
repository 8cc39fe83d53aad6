package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import io.courier.protocol.tls.TlsEngineDriver;
import com.code_intelligence.jazzer.junit.FuzzTest;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Coverage-guided fuzzing (Jazzer) of the TLS path as the server runs it: arbitrary bytes, in arbitrary pieces, as
 * records to a server-side {@link TlsEngineDriver}, alone, behind a real ClientHello, or after a complete
 * handshake. The only acceptable failure is the engine's {@link SSLException} (the connection would be closed);
 * the bytes the driver holds stay within a few records whatever arrives; delegated tasks run as on the server
 * (posted back to a "loop", here the fuzzing thread).
 *
 * <p>Input layout: byte 0 picks the start (0 nothing, 1 a real ClientHello, 2 a finished handshake), byte 1 seeds
 * the piece sizes, the rest is what the peer sends. {@code mvn verify} replays the inputs in
 * {@code TlsRecordsFuzzTestInputs/} and fuzzes for a few seconds (server/pom.xml, like the decoders').
 */
class TlsRecordsFuzzTest {
    private static final TlsContext SERVER = TlsContext.load(TlsSettings.pem(TestCertificates.get().ecCert,
            TestCertificates.get().ecKeySec1));
    /** Two records' worth and the scratch growth: what a driver may hold while a record is incomplete. */
    private static final int HELD_BOUND = 2 * 33 * 1024;

    @FuzzTest(maxDuration = "10s")
    void anyBytesAsTlsRecords(byte[] input) throws Exception {
        if (input.length < 2) {
            return;
        }
        EnginePair pair = EnginePair.of(SERVER, TestCertificates.get(), null, null, Runnable::run,
                new TlsBuffers(), new String[0]);
        byte[] peer = Arrays.copyOfRange(input, 2, input.length);
        Random pieces = new Random(input[1]);
        try {
            switch (Math.floorMod(input[0], 3)) {
                case 1:
                    pair.server.driver.receive(ByteBuffer.wrap(pair.client.out.takeAll()));
                    break;
                case 2:
                    pair.handshake();
                    break;
                default:
                    pair.client.out.takeAll(); // the client's hello is never sent
            }
            feed(pair, peer, pieces);
        } catch (SSLException expected) {
            // not TLS, or not acceptable TLS: the server closes that connection, and that is all
        }
        if (pair.server.driver.bufferedBytes() > HELD_BOUND) {
            throw new AssertionError("the driver holds " + pair.server.driver.bufferedBytes() + " bytes");
        }
    }

    /** Feeds the peer's bytes in pieces no bigger than the driver asks for, running what it posts to the loop. */
    private static void feed(EnginePair pair, byte[] bytes, Random pieces) throws IOException {
        TlsEngineDriver driver = pair.server.driver;
        int offset = 0;
        while (offset < bytes.length) {
            pair.runPostedTasks();
            if (!driver.wantsInput()) {
                return; // close_notify came, or the driver holds all it will: the server stops reading
            }
            int piece = Math.min(bytes.length - offset, Math.min(driver.receiveLimit(), 1 + pieces.nextInt(20_000)));
            driver.receive(ByteBuffer.wrap(bytes, offset, piece));
            offset += piece;
            if (driver.bufferedBytes() > HELD_BOUND) {
                throw new AssertionError("the driver holds " + driver.bufferedBytes() + " bytes");
            }
        }
        pair.runPostedTasks();
    }

    /** For the seed inputs: a real ClientHello from Java's client engine. */
    static byte[] javaClientHello() throws Exception {
        SSLEngine engine = EnginePair.clientContext(TestCertificates.get(), null, null)
                .createSSLEngine("localhost", 1);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
