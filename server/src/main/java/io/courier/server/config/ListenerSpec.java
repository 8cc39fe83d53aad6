package io.courier.server.config;

import io.courier.server.config.Values;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One address the server listens on, and the socket options for it.
 *
 * <p>Written as {@code [tcp:]HOST:PORT}, {@code tls:HOST:PORT} (TCP with TLS, see the {@code tls-*} options),
 * {@code udp:HOST:PORT} or {@code unix:/path/to.sock}, optionally followed by
 * comma-separated options: {@code tcp:[::]:6666,backlog=512,no-delay=true,keep-alive=true,rcvbuf=256KiB,
 * sndbuf=256KiB,reuse-address=true,reuse-port=true} or {@code unix:/run/courier.sock,mode=660}. IPv6 hosts go in brackets.
 */
public record ListenerSpec(Transport transport, String host, int port, Path path, SocketOptions options) {

    /** How clients reach a listener. */
    public enum Transport {
        TCP, UDP, UNIX,
        /** TCP with TLS on top: the same framings, inside TLS 1.3 or 1.2. */
        TLS;

        /** TCP underneath: the TCP socket options apply. */
        public boolean overTcp() {
            return this == TCP || this == TLS;
        }
    }

    /**
     * Socket options; {@code 0} for a buffer size means the OS default.
     *
     * @param unixMode  POSIX permissions of a Unix socket file as octal digits (e.g. "660"), or null to leave them
     * @param reusePort SO_REUSEPORT on a TCP listener: several processes bind one port and the kernel spreads the
     *                  connections among them (every process must ask for it)
     */
    public record SocketOptions(int backlog, boolean tcpNoDelay, boolean keepAlive, int receiveBufferBytes,
                                int sendBufferBytes, boolean reuseAddress, String unixMode, boolean reusePort) {
        public static final SocketOptions DEFAULTS = new SocketOptions(1024, true, true, 0, 0, true, null);

        /** Without SO_REUSEPORT. */
        public SocketOptions(int backlog, boolean tcpNoDelay, boolean keepAlive, int receiveBufferBytes,
                             int sendBufferBytes, boolean reuseAddress, String unixMode) {
            this(backlog, tcpNoDelay, keepAlive, receiveBufferBytes, sendBufferBytes, reuseAddress, unixMode, false);
        }

        public SocketOptions {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be 1 or more, got " + backlog);
            }
            if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
                throw new IllegalArgumentException("rcvbuf and sndbuf must be 0 (OS default) or more, got "
                        + receiveBufferBytes + " and " + sendBufferBytes);
            }
            if (unixMode != null && !unixMode.matches("[0-7]{3}")) {
                throw new IllegalArgumentException("mode must be three octal digits such as 660, got '"
                        + unixMode + "'");
            }
        }
    }

    public ListenerSpec {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(options, "options");
        if (transport == Transport.UNIX) {
            Objects.requireNonNull(path, "path");
            if (options.reusePort()) {
                throw new IllegalArgumentException("reuse-port is for tcp: and udp: listeners, not unix:" + path);
            }
        } else if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    public static ListenerSpec tcp(String host, int port) {
        return new ListenerSpec(Transport.TCP, host, port, null, SocketOptions.DEFAULTS);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** Parses the text form; {@code defaults} supplies options the text does not set. */
    public static ListenerSpec parse(String text, SocketOptions defaults) {
        String[] parts = text.trim().split(",");
        String address = parts[0].trim();
        SocketOptions options = defaults;
        for (int i = 1; i < parts.length; i++) {
            options = withOption(options, parts[i].trim(), text);
        }
        String lower = address.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix:")) {
            String file = address.substring(5);
            if (file.isEmpty()) {
                throw new IllegalArgumentException("listen address '" + text + "' needs a path after unix:");
            }
            return new ListenerSpec(Transport.UNIX, null, 0, Path.of(file), options);
        }
        Transport transport = Transport.TCP;
        if (lower.startsWith("tcp:")) {
            address = address.substring(4);
        } else if (lower.startsWith("udp:")) {
            transport = Transport.UDP;
            address = address.substring(4);
        } else if (lower.startsWith("tls:")) {
            transport = Transport.TLS;
            address = address.substring(4);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("listen address '" + text + "' must look like HOST:PORT, [::]:PORT, "
                    + "tls:HOST:PORT, udp:HOST:PORT or unix:/path");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("listen address '" + text + "' has a colon in its host '" + host
                    + "': write an IPv6 address in brackets, as in [::1]:6666");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen address '" + text + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen address '" + text + "': port must be 0..65535, got " + port);
        }
        return new ListenerSpec(transport, host, port, null, options);
    }

    private static SocketOptions withOption(SocketOptions o, String option, String text) {
        int equals = option.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("listen option '" + option + "' in '" + text + "' needs =VALUE");
        }
        String name = option.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        String value = option.substring(equals + 1).trim();
        int backlog = o.backlog();
        boolean noDelay = o.tcpNoDelay();
        boolean keepAlive = o.keepAlive();
        int receiveBuffer = o.receiveBufferBytes();
        int sendBuffer = o.sendBufferBytes();
        boolean reuseAddress = o.reuseAddress();
        String mode = o.unixMode();
        boolean reusePort = o.reusePort();
        switch (name) {
            case "backlog":
                backlog = Values.integer(name, value);
                break;
            case "no-delay":
                noDelay = Values.bool(name, value);
                break;
            case "keep-alive":
                keepAlive = Values.bool(name, value);
                break;
            case "rcvbuf":
                receiveBuffer = Values.intSize(name, value);
                break;
            case "sndbuf":
                sendBuffer = Values.intSize(name, value);
                break;
            case "reuse-address":
                reuseAddress = Values.bool(name, value);
                break;
            case "mode":
                mode = value;
                break;
            case "reuse-port":
                reusePort = Values.bool(name, value);
                break;
            default:
                throw new IllegalArgumentException("unknown listen option '" + name + "' in '" + text
                        + "'; known: backlog, no-delay, keep-alive, rcvbuf, sndbuf, reuse-address, reuse-port, mode");
        }
        return new SocketOptions(backlog, noDelay, keepAlive, receiveBuffer, sendBuffer, reuseAddress, mode,
                reusePort);
    }

    @Override
    public String toString() {
        switch (transport) {
            case UNIX:
                return "unix:" + path;
            case UDP:
                return "udp:" + hostPort();
            case TLS:
                return "tls:" + hostPort();
            default:
                return "tcp:" + hostPort();
        }
    }

    private String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
