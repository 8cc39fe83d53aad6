package io.courier.server.tls;

import java.util.Locale;

/** {@code --tls-client-auth}: whether a TLS listener asks clients for a certificate signed by the client CA. */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** Asked for; a client without one is served without an identity, a client with a bad one is refused. */
    OPTIONAL,
    /** A client without a certificate the client CA verifies fails its handshake. */
    REQUIRE;

    public static ClientAuth parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none":
                return NONE;
            case "optional":
                return OPTIONAL;
            case "require":
            case "required":
                return REQUIRE;
            default:
                throw new IllegalArgumentException("tls-client-auth must be none, optional or require, got '"
                        + value + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
