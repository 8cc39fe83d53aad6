package io.courier.server.service;

import io.courier.server.config.ListenerSpec;
import io.courier.server.config.FileErrors;
import io.courier.server.config.Settings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a start needs of the machine, checked before anything is served, each problem one sentence with its cause:
 * the directories and files the options name exist (or can be made) and are writable, the hosts resolve, the Unix
 * socket directories are there. {@code --check-config} adds that every port is free.
 */
public final class StartupChecks {
    /**
     * One thing that stops a start.
     *
     * @param environment true when the machine rather than the configuration is at fault (a port in use): a
     *                    start then exits 1, which systemd retries, instead of 2, which it does not
     */
    public record Problem(String sentence, boolean environment) {
    }

    private final List<Problem> problems = new ArrayList<>();

    private StartupChecks() {
    }

    /**
     * Everything but the ports. {@code createLogDir}: a start makes a missing log directory (as Logback would);
     * {@code --check-config} changes nothing and only checks that it could.
     */
    public static List<Problem> paths(Settings settings, boolean createLogDir) {
        StartupChecks checks = new StartupChecks();
        if (settings.logDir() != null) {
            checks.directory("--log-dir", settings.logDir(), createLogDir);
            checks.appendable("--log-dir", settings.logDir().resolve("courier.log"));
        }
        // Documented as made on the first upload: only check that it could be.
        checks.directory("--files-dir", settings.server().files().dir(), false);
        if (settings.portFile() != null) {
            Path parent = settings.portFile().toAbsolutePath().getParent();
            checks.directory("--port-file", parent, false);
        }
        for (ListenerSpec listener : settings.server().listeners()) {
            if (listener.transport() == ListenerSpec.Transport.UNIX) {
                checks.unixSocketPath(listener);
            } else {
                checks.resolves("listen address " + listener, listener.host());
            }
        }
        if (settings.metricsPort() >= 0) {
            checks.resolves("--metrics-host", settings.metricsHost());
        }
        return checks.problems;
    }

    /** For {@code --check-config}: binds every fixed port (listeners, metrics) and releases it at once. */
    public static List<Problem> ports(Settings settings) {
        StartupChecks checks = new StartupChecks();
        for (ListenerSpec listener : settings.server().listeners()) {
            if (listener.transport() != ListenerSpec.Transport.UNIX && listener.port() != 0) {
                checks.free(listener.toString(), listener.socketAddress(),
                        listener.transport() == ListenerSpec.Transport.UDP);
            }
        }
        if (settings.metricsPort() > 0) {
            checks.free("--metrics-port " + settings.metricsPort(),
                    new InetSocketAddress(settings.metricsHost(), settings.metricsPort()), false);
        }
        return checks.problems;
    }

    /** Exists (or, with {@code create}, is made now) or could be made, and a file can be written in it. */
    private void directory(String option, Path dir, boolean create) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            probeWrite(option, absolute, absolute);
            return;
        }
        if (Files.exists(absolute)) {
            config(option + " " + dir + " is not a directory");
            return;
        }
        if (create) {
            try {
                Files.createDirectories(absolute);
            } catch (IOException e) {
                config(option + " " + dir + " does not exist and cannot be created: " + FileErrors.reason(e));
                return;
            }
            probeWrite(option, absolute, absolute);
            return;
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            config(option + " " + dir + " cannot be created: " + (existing == null ? "no parent directory exists"
                    : existing + " is not a directory"));
            return;
        }
        probeWrite(option, dir, existing);
    }

    /** Creates and deletes a file in {@code in}: the one check that sees permissions, read-only mounts and ACLs. */
    private void probeWrite(String option, Path named, Path in) {
        try {
            Path probe = Files.createTempFile(in, ".courier-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            config(option + " " + named + (in.equals(named) ? " is not writable: " : " cannot be created in " + in
                    + ": ") + FileErrors.reason(e));
        }
    }

    /** An existing file must open for appending (a log file left by root, say); a missing one is made later. */
    private void appendable(String option, Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ignored.size();
        } catch (IOException e) {
            config(option + ": cannot write " + file + ": " + FileErrors.reason(e));
        }
    }

    private void unixSocketPath(ListenerSpec listener) {
        Path path = listener.path().toAbsolutePath();
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            config("listen address " + listener + ": directory " + dir + " does not exist (under systemd, "
                    + "RuntimeDirectory= makes /run/courier)");
            return;
        }
        probeWrite("listen address " + listener + ": directory", dir, dir);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path)) {
            try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                ignored.isOpen();
                problems.add(new Problem("listen address " + listener + ": another process is listening on "
                        + path, true));
            } catch (IOException stale) {
                // no one accepts there: the server replaces a stale socket file at start
            }
        }
    }

    private void resolves(String what, String host) {
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            config(what + ": the host '" + host + "' does not resolve to an address");
        }
    }

    private void free(String what, InetSocketAddress address, boolean udp) {
        if (address.isUnresolved()) {
            return; // reported by paths()
        }
        try {
            if (udp) {
                try (DatagramChannel channel = DatagramChannel.open()) {
                    channel.bind(address);
                }
            } else {
                try (ServerSocketChannel channel = ServerSocketChannel.open()) {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as the server binds
                    channel.bind(address);
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(what + ": cannot bind " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), true));
        }
    }

    private void config(String sentence) {
        problems.add(new Problem(sentence, false));
    }
}
