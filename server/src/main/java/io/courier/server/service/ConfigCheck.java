package io.courier.server.service;

import io.courier.server.config.ListenerSpec;
import io.courier.server.config.Settings;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --check-config}: everything a start would check, without serving. The options were parsed already (a
 * wrong one never gets here); this adds the machine: directories, hosts, Unix socket directories, free ports
 * (bound and released at once), and the plugins (loaded, then let go). Prints one line per problem and exits 2,
 * or one line saying what would run and exits 0.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /**
     * @param build builds the server as a start would (loading its plugins), without starting it
     * @return the exit code: 0 when a start would get as far as serving, else 2
     */
    public static int run(Settings settings, Runnable build, PrintStream out, PrintStream err) {
        List<StartupChecks.Problem> problems = new ArrayList<>(StartupChecks.paths(settings, false));
        problems.addAll(StartupChecks.ports(settings));
        try {
            build.run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(new StartupChecks.Problem(e.getMessage(), false));
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("courier: " + problem.sentence()));
            return 2;
        }
        out.println("courier: configuration OK: would listen on " + settings.server().listeners().stream()
                .map(ListenerSpec::toString).collect(Collectors.joining(", "))
                + (settings.metricsPort() >= 0 ? ", metrics on " + settings.metricsHost() + ":"
                + settings.metricsPort() : "")
                + (settings.logDir() != null ? ", log in " + settings.logDir().toAbsolutePath() : ""));
        return 0;
    }
}
