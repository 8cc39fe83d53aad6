package io.courier.server;

import io.courier.server.config.Settings;

/**
 * Points Logback at the right configuration through system properties, so the server code needs only the SLF4J
 * API: {@code logback.xml} (console) or {@code logback-file.xml} (console and a rolling file) from the jar, unless
 * the operator named a file with {@code -Dlogback.configurationFile}. Must run before the first logger is made.
 */
final class LoggingSetup {
    static final String LEVEL_PROPERTY = "courier.log.level";
    static final String DIR_PROPERTY = "courier.log.dir";

    private LoggingSetup() {
    }

    static void configure(Settings settings) {
        System.setProperty(LEVEL_PROPERTY, settings.logLevel());
        if (settings.logDir() != null) {
            System.setProperty(DIR_PROPERTY, settings.logDir().toAbsolutePath().toString());
            if (System.getProperty("logback.configurationFile") == null) {
                System.setProperty("logback.configurationFile", "logback-file.xml");
            }
        }
    }
}
