package io.courier.server.files;

import io.courier.protocol.Message;
import io.courier.server.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweeper never deletes an upload a connection is writing, however old its file looks. */
class PartialSweeperTest {
    @TempDir
    Path dir;

    /** Just enough of a session for the upload registry: an id, attributes and close callbacks. */
    static final class TestSession implements Session {
        @Override
        public boolean isConnection() {
            return true;
        }

        final List<Runnable> onClose = new ArrayList<>();
        private final Map<String, Object> attributes = new HashMap<>();

        @Override
        public long id() {
            return 1;
        }

        @Override
        public String transport() {
            return "test";
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public SocketAddress localAddress() {
            return null;
        }

        @Override
        public void send(Message event) {
        }

        @Override
        public void close() {
            onClose.forEach(Runnable::run);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void onClose(Runnable callback) {
            onClose.add(callback);
        }

        @Override
        public Object attribute(String key) {
            return attributes.get(key);
        }

        @Override
        public void attribute(String key, Object value) {
            attributes.put(key, value);
        }
    }

    @Test
    void uploadInProgressIsKeptAndSweptOnlyOnceAbandoned() throws Exception {
        FileStore store = new FileStore(FilesConfig.DEFAULTS.withDir(dir));
        UploadRegistry registry = new UploadRegistry(4);
        PartialSweeper sweeper = new PartialSweeper(store, registry);
        TestSession session = new TestSession();
        registry.claim("live.bin", session);
        Files.write(dir.resolve(".live.bin.part"), new byte[5]);
        Files.write(dir.resolve(".dead.bin.part"), new byte[7]);
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Files.setLastModifiedTime(dir.resolve(".live.bin.part"), old);
        Files.setLastModifiedTime(dir.resolve(".dead.bin.part"), old);
        long cutoff = System.currentTimeMillis() - Duration.ofDays(1).toMillis();

        assertEquals(1, sweeper.sweep(cutoff));
        assertTrue(Files.exists(dir.resolve(".live.bin.part")), "its connection is still writing it");
        assertFalse(Files.exists(dir.resolve(".dead.bin.part")));
        assertTrue(registry.uploading("live.bin"));

        session.close(); // the connection ends: the upload is abandoned
        assertFalse(registry.uploading("live.bin"));
        assertEquals(1, sweeper.sweep(cutoff));
        assertFalse(Files.exists(dir.resolve(".live.bin.part")));
        assertEquals(0, store.usedBytes());
        assertTrue(registry.idleNames().isEmpty(), "swept uploads are forgotten");
    }
}
