package io.courier.server.stream;

import io.courier.server.loop.EventLoop;
import io.courier.server.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * The last phase of a server-side close. Closing a socket that still has unread input makes the kernel send a
 * reset, and a reset can destroy replies the client has not read yet. So once every reply is written the server
 * sends FIN (shuts its output), reads and discards until the client's FIN, and only then closes (or after a short
 * timeout, so a client that never closes cannot hold the descriptor).
 */
final class Lingering {
    /** Reads per readiness event while draining: enough to keep up, bounded so one client cannot hog the loop. */
    private static final int READS_PER_EVENT = 4;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Lingering() {
    }

    /**
     * Shuts the output, waits for input only, and runs {@code close} after the timeout if the client has not
     * closed by then. False if the socket is already unusable: close it now.
     */
    static boolean begin(Transport transport, SelectionKey key, EventLoop loop, Runnable close) {
        try {
            transport.shutdownOutput();
        } catch (IOException e) {
            return false;
        }
        key.interestOps(SelectionKey.OP_READ);
        loop.schedule(TIMEOUT_NANOS, close);
        return true;
    }

    /** Discards what arrived. True once the client has closed its side (or the socket failed): close it now. */
    static boolean peerDone(Transport transport, ByteBuffer scratch) {
        try {
            for (int i = 0; i < READS_PER_EVENT; i++) {
                int n = transport.discardInput(scratch);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
