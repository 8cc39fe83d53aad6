package io.courier.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --port-file FILE} convention that Courier's server and the peer servers share, so one launcher finds
 * them all when they start on port 0: one line per listener, {@code KIND ADDRESS} ({@code tcp 127.0.0.1:41235},
 * {@code tcp [::1]:41236}, {@code udp 127.0.0.1:41237}, {@code unix /run/courier.sock}), then
 * {@code metrics HOST:PORT} when metrics are served. Written to a temporary file and renamed, so a reader that sees
 * the file sees all of it.
 */
public final class PortFile {
    /** One line: the listener kind ({@code tcp}, {@code udp}, {@code unix}, {@code metrics}) and its address. */
    public record Entry(String kind, String address) {
        /** {@code HOST:PORT} or {@code [V6]:PORT} as a socket address; unix paths have none. */
        public InetSocketAddress inetAddress() {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + address + "' is not HOST:PORT");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
        }
    }

    private PortFile() {
    }

    /** Writes {@code tcp HOST:PORT} for each address, atomically (temporary file, then rename). */
    public static void writeTcp(Path file, List<InetSocketAddress> addresses) throws IOException {
        write(file, addresses.stream().map(address -> entry("tcp", address)).toList());
    }

    /** The line for a listener of {@code kind} bound to {@code address}: {@code tls 127.0.0.1:41236}. */
    public static Entry entry(String kind, InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return new Entry(kind, (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** Writes one {@code KIND ADDRESS} line per entry, atomically (temporary file, then rename). */
    public static void write(Path file, List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(entry.kind()).append(' ').append(entry.address()).append('\n');
        }
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The entries of a port file, or empty while it does not exist yet. */
    public static Optional<List<Entry>> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(lines));
    }

    /** {@code KIND ADDRESS} lines to entries; blank lines are skipped, anything else malformed is an error. */
    public static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            if (space <= 0) {
                throw new IllegalArgumentException("port file line '" + line + "' is not 'KIND ADDRESS'");
            }
            entries.add(new Entry(trimmed.substring(0, space), trimmed.substring(space + 1).trim()));
        }
        return entries;
    }

    /** The first listener of {@code kind} ({@code tcp}, {@code tls}, ...). */
    public static Optional<InetSocketAddress> first(List<Entry> entries, String kind) {
        return entries.stream().filter(e -> e.kind().equals(kind)).findFirst().map(Entry::inetAddress);
    }

    /** The first {@code tcp} listener's address. */
    public static Optional<InetSocketAddress> firstTcp(List<Entry> entries) {
        return entries.stream().filter(e -> e.kind().equals("tcp")).findFirst().map(Entry::inetAddress);
    }
}
