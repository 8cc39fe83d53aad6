package io.courier.loadtest;

/**
 * One server address the load goes to, {@code HOST:PORT} ({@code [V6]:PORT} for an IPv6 literal). With several,
 * connection {@code i} of the run goes to target {@code i mod n}: round-robin, so each gets an equal share.
 */
public record Target(String host, int port) {
    /** {@code HOST:PORT} or {@code [V6]:PORT}; the error names {@code --target} and what is expected. */
    public static Target parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("--target must be HOST:PORT (e.g. 127.0.0.1:6666 or [::1]:6666), got '"
                    + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("--target: write an IPv6 address in brackets, [" + host + "]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target port must be 1..65535, got '" + text + "'");
        }
        return new Target(host, port);
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
