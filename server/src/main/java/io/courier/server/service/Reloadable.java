package io.courier.server.service;

/**
 * Something the server can reload without a restart when it receives SIGHUP (the users file, certificates, ...).
 * Register it with {@link Reloads#add}; a reload that fails is logged and keeps what was loaded before.
 */
public interface Reloadable {
    /** What this reloads, for the log line: "the users file /etc/courier/users.json". */
    String name();

    /** Loads again. Runs on the signal's thread, never the event loop. */
    void reload() throws Exception;

    /** A reloadable named {@code name} that runs {@code reload}. */
    static Reloadable of(String name, Runnable reload) {
        return new Reloadable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void reload() {
                reload.run();
            }
        };
    }
}
