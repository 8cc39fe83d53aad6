package io.courier.server.web;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener for the JDK's own WebSocket client that puts each whole message it receives on a queue: a
 * {@code String} for a text message, a {@code byte[]} for a binary one, however the client split them.
 */
final class JdkWebSocketCollector implements WebSocket.Listener {
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add(text.toString());
            text.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            received.add(binary.toByteArray());
            binary = new ByteArrayOutputStream();
        }
        socket.request(1);
        return null;
    }

    /** The next whole message, or null after ten seconds without one. */
    Object next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }
}
