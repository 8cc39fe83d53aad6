package io.courier.server.service;

import io.courier.server.config.ListenerSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code --port-file FILE}: the bound addresses, for launchers and scripts that asked for port 0. One line per
 * listener, {@code KIND ADDRESS} ({@code tcp 127.0.0.1:41235}, {@code tcp [::1]:41236}, {@code udp 127.0.0.1:41237},
 * {@code unix /run/courier.sock}), then {@code metrics HOST:PORT} when metrics are served. Written to a temporary
 * file and renamed, once everything is bound, so a reader that sees the file sees all of it.
 */
public final class PortFile {
    private PortFile() {
    }

    /** {@code specs} and {@code addresses} side by side: each configured listener and where it is bound. */
    public static void write(Path file, List<ListenerSpec> specs, List<SocketAddress> addresses,
                             InetSocketAddress metrics) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < addresses.size(); i++) {
            text.append(specs.get(i).transport().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(format(addresses.get(i))).append('\n');
        }
        if (metrics != null) {
            text.append("metrics ").append(format(metrics)).append('\n');
        }
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String format(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return ((UnixDomainSocketAddress) address).getPath().toString();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
