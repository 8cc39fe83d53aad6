package io.courier.server.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which web pages may open a WebSocket ({@code ws-allowed-origins}). A browser sends the page's Origin with the
 * upgrade; without a check any site the user visits could talk to this server through the user's browser. Always
 * allowed: no Origin (not a browser: a program or a tool) and the server's own page (the Origin names the host the
 * request was sent to). Also allowed: the origins listed, or every origin with {@code *}.
 */
public final class OriginPolicy {
    private final List<String> allowed;
    private final boolean any;

    /** @param allowed origins such as {@code https://app.example.com}, or {@code *}; empty: the own page only */
    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).collect(Collectors.toList());
        this.any = this.allowed.contains("*");
    }

    boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String normal = normalise(origin);
        if (host != null) {
            String authority = normal.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
            if (authority.equals(host.trim().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return allowed.contains(normal);
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
