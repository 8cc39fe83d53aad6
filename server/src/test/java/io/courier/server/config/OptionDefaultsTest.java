package io.courier.server.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each option's default is stated once, in {@link Options}: the value the configuration really starts from must be
 * what that text says, and README's option table must list every option with the same variable and default.
 * {@code --help} prints the table itself ({@code ConfigPrecedenceTest} checks it lists every option).
 */
class OptionDefaultsTest {
    /**
     * Default texts that name an absence or a value derived from others rather than a value: nothing to parse, the
     * builder leaves it unset.
     */
    private static final Set<String> ABSENT = Set.of("none", "off", "OS default", "none, console only",
            "a quarter of the heap", "one read buffer", "one TCP listener on host:port");
    private static final Pattern README_ROW = Pattern.compile(
            "^\\| `--([a-z-]+)` \\| `(COURIER_[A-Z_]+)` \\| (.+?) \\| .+\\|$", Pattern.MULTILINE);

    @Test
    void everyDefaultTextIsTheValueTheConfigurationStartsFrom() throws Exception {
        Map<String, Object> defaults = readable(load());
        for (Option option : Options.ALL) {
            if (ABSENT.contains(option.defaultText())) {
                continue;
            }
            Settings stated = load(option.flag(), option.defaultText());
            assertEquals(defaults, readable(stated), option.flag() + " " + option.defaultText()
                    + " configures something else than giving no " + option.flag() + " at all");
        }
    }

    @Test
    void readmeTableListsEveryOptionWithItsVariableAndDefault() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Map<String, String[]> rows = new TreeMap<>();
        Matcher row = README_ROW.matcher(text);
        while (row.find()) {
            rows.put(row.group(1), new String[] {row.group(2), row.group(3).replace("`", "")});
        }
        for (Option option : Options.ALL) {
            String[] columns = rows.remove(option.name());
            if (columns == null) {
                fail("README.md's option table has no row for " + option.flag());
            }
            assertEquals(option.envName(), columns[0], "README's variable for " + option.flag());
            assertEquals(option.defaultText(), columns[1], "README's default for " + option.flag());
        }
        assertTrue(rows.isEmpty(), "README.md lists options the server does not have: " + rows.keySet());
    }

    private static Settings load(String... args) throws Exception {
        return ConfigLoader.load(args, Map.of()).settings();
    }

    /** Everything the server would read from these settings, by accessor name, as text. */
    private static Map<String, Object> readable(Settings settings) throws Exception {
        Map<String, Object> values = new TreeMap<>();
        collect("", settings, values);
        collect("server.", settings.server(), values);
        return values;
    }

    private static void collect(String prefix, Object target, Map<String, Object> values) throws Exception {
        for (Method method : target.getClass().getMethods()) {
            if (method.getParameterCount() == 0 && method.getDeclaringClass() == target.getClass()
                    && !Modifier.isStatic(method.getModifiers()) && method.getReturnType() != void.class
                    && !method.getName().equals("server") && !method.getName().equals("toBuilder")) {
                values.put(prefix + method.getName(), String.valueOf(method.invoke(target)));
            }
        }
    }
}
