package io.courier.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port free on loopback now. Only for what cannot bind port 0 itself: Redis, and the reuse-port listener that
 * two Courier processes must both name. Another process could take it in between; then the start fails, saying so.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int one() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
