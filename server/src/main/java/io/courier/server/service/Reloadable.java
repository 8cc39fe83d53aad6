package io.courier.server.service;

/**
 * Something the server can reload without a restart when it receives SIGHUP (certificates, users, ...). Register
 * it with {@link Reloads#add}; a reload that fails is logged and keeps what was loaded before.
 */
public interface Reloadable {
    /** What this reloads, for the log line: "TLS certificates". */
    String name();

    /** Loads again. Runs on the signal's thread, never the event loop. */
    void reload() throws Exception;
}
