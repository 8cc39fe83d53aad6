package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import io.courier.protocol.tls.TlsEngineDriver;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A server and a client {@link TlsEngineDriver} wired back to back in memory: what one writes to its "socket"
 * (a {@link Wire}) the other receives, in whatever pieces the test chooses. The test thread is the event loop: it
 * runs what the drivers post to it and moves bytes until a condition holds. Delegated tasks run on the given
 * executor (a real worker thread, or the caller's for deterministic runs).
 */
final class EnginePair {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final Side server;
    final Side client;
    private final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
    /** Sizes of the pieces the client's bytes reach the server in; the server's go across whole. */
    IntSupplier clientToServerPieces = () -> Integer.MAX_VALUE;
    /** Run at every turn of the pump, e.g. to watch how much a driver holds. */
    Runnable eachTurn = () -> { };

    EnginePair(SSLEngine serverEngine, SSLEngine clientEngine, Executor workers, TlsBuffers serverBuffers)
            throws IOException {
        server = new Side("server", serverEngine, serverBuffers, workers, loop::add);
        client = new Side("client", clientEngine, new TlsBuffers(), workers, loop::add);
        client.driver.start();
    }

    /** A pair over {@code context}, the client trusting the test CA, presenting {@code clientCert} if not null. */
    static EnginePair of(TlsContext context, TestCertificates certs, Path clientCert, Path clientKey,
                         Executor workers, TlsBuffers serverBuffers, String... clientProtocols) throws Exception {
        SSLEngine clientEngine = clientContext(certs, clientCert, clientKey).createSSLEngine("localhost", 6697);
        clientEngine.setUseClientMode(true);
        if (clientProtocols.length > 0) {
            clientEngine.setEnabledProtocols(clientProtocols);
        }
        return new EnginePair(context.newEngine(), clientEngine, workers, serverBuffers);
    }

    static SSLContext clientContext(TestCertificates certs, Path clientCert, Path clientKey) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", Certificates.read(certs.caCert, "ca", "a CA").get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (clientCert != null) {
            KeyMaterial material = KeyMaterial.fromPem(clientCert, clientKey);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", material.key(), new char[0], material.chain().toArray(new X509Certificate[0]));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** Runs the "loop" and moves bytes both ways until {@code done}; fails if nothing moves for 20 s. */
    void pumpUntil(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            eachTurn.run();
            boolean progress = runPosted();
            progress |= client.sendQueued() | server.sendQueued();
            progress |= move(client, server, clientToServerPieces.getAsInt());
            progress |= move(server, client, Integer.MAX_VALUE);
            progress |= client.driver.hasPendingOutput() && client.out.hasRoom() && client.driver.flush();
            progress |= server.driver.hasPendingOutput() && server.out.hasRoom() && server.driver.flush();
            if (!progress) {
                Runnable task;
                try {
                    task = loop.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (task == null) {
                    fail("the TLS conversation stalled; client " + client.state() + ", server " + server.state());
                }
                run(task);
            }
        }
    }

    void handshake() throws IOException {
        pumpUntil(() -> server.finished && client.finished);
    }

    /** Runs what the drivers posted to the "loop" (the end of delegated tasks), rethrowing their failures. */
    void runPostedTasks() throws IOException {
        runPosted();
    }

    private boolean runPosted() throws IOException {
        boolean ran = false;
        for (Runnable task = loop.poll(); task != null; task = loop.poll()) {
            run(task);
            ran = true;
        }
        return ran;
    }

    private void run(Runnable task) throws IOException {
        task.run();
        for (Side side : new Side[] {server, client}) {
            IOException failure = side.failure;
            side.failure = null;
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static boolean move(Side from, Side to, int piece) throws IOException {
        if (from.out.isEmpty() || !to.driver.wantsInput()) {
            return false;
        }
        ByteBuffer chunk = from.out.take(Math.max(1, Math.min(piece, to.driver.receiveLimit())));
        to.driver.receive(chunk);
        if (chunk.hasRemaining()) {
            fail("receive left " + chunk.remaining() + " bytes unconsumed");
        }
        return true;
    }

    /** One end: its driver, what it received, what it still has to send. */
    static final class Side implements TlsEngineDriver.Owner {
        final String name;
        final Wire out = new Wire();
        final TlsEngineDriver driver;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final ArrayDeque<ByteBuffer> toSend = new ArrayDeque<>();
        boolean finished;
        int resumes;
        Thread resumedOn;
        /** What receive threw when resumed, rethrown by the pump as if the loop had seen it. */
        IOException failure;

        Side(String name, SSLEngine engine, TlsBuffers buffers, Executor workers, Executor loop) throws IOException {
            this.name = name;
            this.driver = new TlsEngineDriver(engine, buffers, out, workers, loop, this);
        }

        void send(byte[] bytes) {
            toSend.add(ByteBuffer.wrap(bytes));
        }

        boolean sendQueued() throws IOException {
            if (toSend.isEmpty()) {
                return false;
            }
            ByteBuffer[] buffers = toSend.toArray(new ByteBuffer[0]);
            long written = driver.write(buffers, 0, buffers.length);
            while (!toSend.isEmpty() && !toSend.peek().hasRemaining()) {
                toSend.poll();
            }
            return written > 0;
        }

        boolean allSent() {
            return toSend.isEmpty() && !driver.hasPendingOutput();
        }

        @Override
        public void plaintext(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            received.writeBytes(copy);
        }

        @Override
        public void handshakeFinished() {
            finished = true;
        }

        @Override
        public void resume() {
            resumes++;
            resumedOn = Thread.currentThread();
            try {
                driver.receive(EMPTY);
                driver.flush();
            } catch (IOException e) {
                failure = e;
            }
        }

        String state() {
            return "finished=" + finished + " unsent=" + out.size() + " received=" + received.size() + " wantsInput="
                    + driver.wantsInput() + " pendingOut=" + driver.hasPendingOutput();
        }
    }

    /** A socket's send side in memory; with a capacity it fills up like a real one and takes nothing more. */
    static final class Wire implements WritableByteChannel {
        private ByteBuffer data = ByteBuffer.allocate(1024);
        int capacity = Integer.MAX_VALUE;
        final List<Integer> writes = new java.util.ArrayList<>();

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), capacity - data.position());
            if (n <= 0) {
                return 0;
            }
            if (data.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(data.capacity() * 2, data.position() + n));
                data.flip();
                bigger.put(data);
                data = bigger;
            }
            ByteBuffer slice = src.slice();
            slice.limit(n);
            data.put(slice);
            src.position(src.position() + n);
            writes.add(n);
            return n;
        }

        boolean isEmpty() {
            return data.position() == 0;
        }

        boolean hasRoom() {
            return data.position() < capacity;
        }

        int size() {
            return data.position();
        }

        /** Removes up to {@code n} bytes from the front. */
        ByteBuffer take(int n) {
            data.flip();
            int count = Math.min(n, data.remaining());
            byte[] bytes = new byte[count];
            data.get(bytes);
            data.compact();
            return ByteBuffer.wrap(bytes);
        }

        /** Everything unread, removed. */
        byte[] takeAll() {
            ByteBuffer all = take(Integer.MAX_VALUE);
            return all.array();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
