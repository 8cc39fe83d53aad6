package io.courier.server.config;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One setting, reachable three ways: {@code --name value} on the command line, {@code COURIER_NAME} in the
 * environment, {@code "name": value} in the config file.
 */
record Option(String name, String valueHint, String defaultText, String description,
              BiConsumer<Settings, String> apply) {

    static final String ENV_PREFIX = "COURIER_";

    String flag() {
        return "--" + name;
    }

    String envName() {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    boolean repeatable() {
        return name.equals("listen");
    }
}
