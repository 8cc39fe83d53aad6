package io.courier.bench.wire;

import io.courier.protocol.ByteSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A connection's unsent bytes: every codec appends its commands here and the loop writes as much as the socket
 * takes. One growable array, so a command costs a copy and no allocation once the array has grown.
 */
final class OutBytes implements ByteSink {
    private byte[] bytes = new byte[4096];
    private int start;
    private int end;

    @Override
    public void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, end, length);
        end += length;
    }

    @Override
    public void writeInt(int value) { // the default allocates four bytes a call: twice per frame
        ensure(4);
        bytes[end++] = (byte) (value >>> 24);
        bytes[end++] = (byte) (value >>> 16);
        bytes[end++] = (byte) (value >>> 8);
        bytes[end++] = (byte) value;
    }

    void write(byte[] source) {
        write(source, 0, source.length);
    }

    void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[end++] = (byte) text.charAt(i);
        }
    }

    /** A decimal number in ASCII, as RESP and NATS write lengths. */
    void decimal(long value) {
        ascii(Long.toString(value));
    }

    void crlf() {
        ensure(2);
        bytes[end++] = '\r';
        bytes[end++] = '\n';
    }

    boolean isEmpty() {
        return start == end;
    }

    int size() {
        return end - start;
    }

    /** Writes what the socket takes now; returns the bytes written. */
    int flushTo(SocketChannel channel) throws IOException {
        if (start == end) {
            return 0;
        }
        int written = channel.write(ByteBuffer.wrap(bytes, start, end - start));
        start += written;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return written;
    }

    /** The unsent bytes as text, for tests. */
    String asText() {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    byte[] toArray() {
        return Arrays.copyOfRange(bytes, start, end);
    }

    private void ensure(int more) {
        if (end + more <= bytes.length) {
            return;
        }
        if (start > 0) { // reclaim the written front before growing
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + more));
        }
    }
}
