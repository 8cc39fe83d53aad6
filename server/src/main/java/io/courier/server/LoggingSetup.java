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

    /**
     * SIGHUP: the log level from the configuration as it reads now (flags, environment, config file), applied to
     * the root logger at once. An operator's own Logback file ({@code -Dlogback.configurationFile}) is left alone.
     */
    static void reloadLevel(String[] args, java.util.Map<String, String> env) {
        Settings fresh;
        try {
            fresh = io.courier.server.config.ConfigLoader.load(args, env).settings();
        } catch (io.courier.server.config.ConfigLoader.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger) {
            ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.toLevel(fresh.logLevel()));
        }
    }

    /**
     * Writes out what the asynchronous appenders still hold. Needed before {@code Runtime.halt}, which runs no
     * shutdown hook: without it the line saying why the process stops could be lost with the process.
     */
    static void flush() {
        org.slf4j.ILoggerFactory factory = org.slf4j.LoggerFactory.getILoggerFactory();
        if (factory instanceof ch.qos.logback.classic.LoggerContext) {
            ((ch.qos.logback.classic.LoggerContext) factory).stop();
        }
    }
}
