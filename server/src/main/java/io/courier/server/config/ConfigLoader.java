package io.courier.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the service's settings from the config file, the environment and the command line, in that order, so a
 * flag beats an environment variable, which beats the file, which beats the default. A repeatable option such as
 * {@code listen} is replaced as a whole by a higher source, not merged.
 */
public final class ConfigLoader {
    private static final String CONFIG_FLAG = "config";
    private static final String CONFIG_ENV = Option.ENV_PREFIX + "CONFIG";

    /** A configuration that cannot be used; the message is one sentence naming the option and the value. */
    public static final class ConfigException extends Exception {
        ConfigException(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /**
     * The outcome: settings to run with, or a request for help or the version.
     *
     * @param checkOnly {@code --check-config}: check everything a start would, then exit without serving
     */
    public record Result(Settings settings, boolean helpRequested, boolean versionRequested, boolean checkOnly) {
    }

    /** One value of one option, and where it came from (for error messages). */
    private record Assignment(Option option, String value, String source) {
    }

    private ConfigLoader() {
    }

    public static Result load(String[] args, Map<String, String> env) throws ConfigException {
        List<Assignment> flags = new ArrayList<>();
        String configFile = env.get(CONFIG_ENV);
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Result(null, true, false, false);
            }
            if (arg.equals("--version")) {
                return new Result(null, false, true, false);
            }
            if (arg.equals("--check-config")) {
                checkOnly = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "'; options start with --, see --help");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option option = Options.find(name);
            if (option == null && !name.equals(CONFIG_FLAG)) {
                throw new ConfigException("unknown option --" + name + "; see --help for the options");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (option == null) {
                configFile = value;
            } else {
                flags.add(new Assignment(option, value, "--" + name));
            }
        }
        Settings settings = new Settings();
        List<Assignment> file = configFile != null ? fromFile(Path.of(configFile)) : List.of();
        List<Assignment> environment = fromEnvironment(env);
        refuseDefaultListenerWithListen(file, environment, flags);
        apply(settings, file);
        apply(settings, environment);
        apply(settings, flags);
        try {
            settings.server();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--" + e.getMessage());
        }
        return new Result(settings, false, false, checkOnly);
    }

    /**
     * {@code host} and {@code port} describe the one default listener that {@code listen} replaces: given together
     * (from any sources) one of them would be ignored, so the pair is refused rather than half applied.
     */
    @SafeVarargs
    private static void refuseDefaultListenerWithListen(List<Assignment>... sources) throws ConfigException {
        Assignment listen = null;
        Assignment hostOrPort = null;
        for (List<Assignment> source : sources) {
            for (Assignment assignment : source) {
                String name = assignment.option().name();
                if (name.equals("listen")) {
                    listen = listen != null ? listen : assignment;
                } else if (name.equals("host") || name.equals("port")) {
                    hostOrPort = hostOrPort != null ? hostOrPort : assignment;
                }
            }
        }
        if (listen != null && hostOrPort != null) {
            throw new ConfigException(hostOrPort.source() + " sets the default listener, which " + listen.source()
                    + " replaces; put the address in listen (e.g. --listen tcp:127.0.0.1:" + (hostOrPort.option()
                    .name().equals("port") ? hostOrPort.value() : "6666") + ") or drop listen");
        }
    }

    private static void apply(Settings settings, List<Assignment> assignments) throws ConfigException {
        boolean listenersCleared = false;
        for (Assignment assignment : assignments) {
            if (assignment.option().repeatable() && !listenersCleared) {
                settings.server.clearListeners();
                listenersCleared = true;
            }
            try {
                assignment.option().apply().accept(settings, assignment.value());
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                boolean flagNamedInMessage = assignment.source().startsWith("--")
                        && message.startsWith(assignment.option().name());
                throw new ConfigException(flagNamedInMessage ? "--" + message : assignment.source() + ": " + message);
            }
        }
    }

    private static List<Assignment> fromEnvironment(Map<String, String> env) throws ConfigException {
        List<Assignment> assignments = new ArrayList<>();
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String key = variable.getKey();
            if (!key.startsWith(Option.ENV_PREFIX) || key.equals(CONFIG_ENV)) {
                continue;
            }
            Option option = Options.ALL.stream().filter(o -> o.envName().equals(key)).findFirst().orElse(null);
            if (option == null) {
                throw new ConfigException("unknown environment variable " + key + "; known: "
                        + Options.ALL.stream().map(Option::envName).collect(Collectors.joining(", "))
                        + ", " + CONFIG_ENV);
            }
            if (option.repeatable()) {
                for (String value : variable.getValue().split("\\s+")) {
                    if (!value.isBlank()) {
                        assignments.add(new Assignment(option, value, key));
                    }
                }
            } else {
                assignments.add(new Assignment(option, variable.getValue(), key));
            }
        }
        return assignments;
    }

    private static List<Assignment> fromFile(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + FileErrors.reason(e));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid JSON" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + FileErrors.reason(e));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config file " + file + " must hold one JSON object of option: value");
        }
        List<Assignment> assignments = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String source = file.getFileName() + " key \"" + field.getKey() + "\"";
            Option option = Options.find(field.getKey());
            if (option == null) {
                throw new ConfigException("unknown key \"" + field.getKey() + "\" in " + file + "; known keys: "
                        + Options.ALL.stream().map(Option::name).collect(Collectors.joining(", ")));
            }
            JsonNode value = field.getValue();
            if (value.isArray() && option.repeatable()) {
                for (JsonNode element : value) {
                    assignments.add(new Assignment(option, scalar(element, source), source));
                }
            } else {
                assignments.add(new Assignment(option, scalar(value, source), source));
            }
        }
        return assignments;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String scalar(JsonNode value, String source) throws ConfigException {
        if (!value.isValueNode() || value.isNull()) {
            throw new ConfigException(source + " must be a string, number or boolean, got " + value);
        }
        return value.asText();
    }

    /** The {@code --help} text: every option with its default, environment variable and meaning. */
    public static String help() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: java -jar server.jar [--config FILE.json] [options]\n\n")
                .append("A non-blocking message server: binary frames and JSON text on one port (PROTOCOL.md).\n")
                .append("Every option is also an environment variable (COURIER_PORT=7000) and a config file key\n")
                .append("(\"port\": 7000); a flag beats the environment, which beats the file.\n")
                .append("Sizes take KiB/MiB/GiB; durations take ms, s, m or h.\n\nOptions:\n");
        text.append(String.format("  %-30s %s%n", "--config FILE", "JSON file of option: value (env COURIER_CONFIG)"));
        for (Option option : Options.ALL) {
            text.append(String.format("  %-30s %s (default %s)%n", option.flag() + " " + option.valueHint(),
                    option.description(), option.defaultText()));
        }
        text.append(String.format("  %-30s %s%n", "--check-config", "check everything a start would (listeners, "
                + "ports free, directories writable, plugins), print one line per problem, exit 0 or 2"));
        text.append(String.format("  %-30s %s%n", "--version", "print the version and exit"));
        text.append(String.format("  %-30s %s%n", "--help", "print this help and exit"));
        text.append("\nSIGTERM or Ctrl-C: stop accepting, tell clients (server.closing), finish in-flight requests,\n")
                .append("write every reply, exit 0. A second signal exits at once. SIGHUP never stops the server.\n")
                .append("Exit codes: 0 stopped cleanly, 1 could not start or failed, 2 wrong configuration.\n");
        return text.toString();
    }
}
