package io.courier.server.tls;

/**
 * A TLS file or option that cannot be used. The message is one sentence naming the option, the file and what to do;
 * it is an {@link IllegalArgumentException} so a start with it exits 2 like any other wrong configuration.
 */
public final class TlsConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String sentence) {
        super(sentence);
    }
}
