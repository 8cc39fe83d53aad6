package io.courier.server.loop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/**
 * {@code reuse-port=true}: SO_REUSEPORT before bind, so several processes bind one TCP or UDP port and the kernel
 * spreads connections (or datagrams) among them: one event loop per core. Every process must ask for it.
 */
public final class ReusePort {
    private ReusePort() {
    }

    /** Sets SO_REUSEPORT when asked; says so when this system's sockets do not have it. */
    public static void apply(NetworkChannel channel, boolean wanted) throws IOException {
        if (!wanted) {
            return;
        }
        if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new IOException("reuse-port=true is not supported on this system (its sockets have no "
                    + "SO_REUSEPORT)");
        }
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }
}
