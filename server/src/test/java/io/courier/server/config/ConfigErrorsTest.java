package io.courier.server.config;

import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong setting is one sentence naming the option, the value given and what is allowed. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private static String error(Map<String, String> env, String... args) {
        ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(args, env));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one sentence, one line: " + message);
        return message;
    }

    private static String error(String... args) {
        return error(Map.of(), args);
    }

    @Test
    void unknownFlagIsNamed() {
        String message = error("--port", "7000", "--max-conections", "5");
        assertEquals("unknown option --max-conections; see --help for the options", message);
    }

    @Test
    void portWithListenIsRefusedNotHalfApplied() throws Exception {
        assertEquals("--port sets the default listener, which --listen replaces; put the address in listen (e.g. "
                + "--listen tcp:127.0.0.1:7000) or drop listen", error("--listen", "127.0.0.1:0", "--port", "7000"));
        Path file = dir.resolve("listen.json");
        Files.writeString(file, "{\"listen\": [\"127.0.0.1:0\"]}");
        String message = error(Map.of("COURIER_HOST", "0.0.0.0"), "--config", file.toString());
        assertTrue(message.startsWith("COURIER_HOST sets the default listener, which listen.json key \"listen\" "
                + "replaces"), message);
    }

    @Test
    void bareArgumentIsRefused() {
        assertTrue(error("7000").contains("unexpected argument '7000'"));
    }

    @Test
    void flagWithoutValueIsNamed() {
        assertEquals("--port needs a value", error("--port"));
    }

    @Test
    void unknownFileKeyIsNamed() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"port\": 7000, \"max_connections\": 5}");
        String message = error("--config", file.toString());
        assertTrue(message.startsWith("unknown key \"max_connections\" in " + file), message);
        assertTrue(message.contains("max-connections"), "lists the known keys: " + message);
    }

    @Test
    void unknownEnvironmentVariableIsNamedAndOthersAreIgnored() {
        String message = error(Map.of("COURIER_PROT", "7000", "PATH", "/bin"));
        assertTrue(message.startsWith("unknown environment variable COURIER_PROT; known: "), message);
        assertTrue(message.contains("COURIER_PORT"), message);
    }

    @Test
    void configFileThatIsNotAnObjectOrMissingIsRefused() throws Exception {
        Path array = dir.resolve("a.json");
        Files.writeString(array, "[1, 2]");
        assertTrue(error("--config", array.toString()).contains("must hold one JSON object"));
        assertTrue(error("--config", dir.resolve("missing.json").toString()).startsWith("cannot read config file"));
        Path nested = dir.resolve("n.json");
        Files.writeString(nested, "{\"port\": {\"value\": 1}}");
        assertTrue(error("--config", nested.toString()).contains("key \"port\" must be a string, number or boolean"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--port|70000|--port must be 0..65535, got 70000",
        "--port|-1|--port must be 0..65535, got -1",
        "--port|http|--port must be a whole number, got 'http'",
        "--metrics-port|65536|--metrics-port must be 0..65535, got 65536",
        "--max-connections|0|--max-connections must be 1 or more, got 0",
        "--backlog|0|--backlog must be 1 or more, got 0",
        "--accept-batch|0|--accept-batch must be 1 or more, got 0",
        "--tcp-no-delay|maybe|--tcp-no-delay must be true or false, got 'maybe'",
        "--idle-timeout|soon|--idle-timeout must be a duration such as 500ms, 5s or 2m, got 'soon'",
        "--idle-timeout|-5s|--idle-timeout must be a duration such as 500ms, 5s or 2m, got '-5s'",
        "--idle-timeout|-5ms|--idle-timeout must be a duration such as 500ms, 5s or 2m, got '-5ms'",
        "--frame-timeout|-100|--frame-timeout must be a duration such as 500ms, 5s or 2m, got '-100'",
        "--max-body-bytes|lots|--max-body-bytes must be a size such as 65536, 64KiB or 1MiB, got 'lots'",
        "--max-body-bytes|4GiB|--max-body-bytes must be at most 2GiB-1, got '4GiB'",
        "--max-header-bytes|16MiB|--max-header-bytes must be 2..16777215, got 16777216",
        "--read-buffer-bytes|512|--read-buffer-bytes must be 1024..67108864, got 512",
        "--log-level|LOUD|--log-level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got 'LOUD'",
    })
    void invalidValueIsOneSentenceNamingOptionValueAndAllowedRange(String flag, String value, String expected) {
        assertEquals(expected, error(flag, value));
    }

    @Test
    void watermarksAndSlowConsumerLimitAreCheckedTogether() {
        assertEquals("--write-low-watermark must be 0..write-high-watermark-1 (1048575), got 1048576",
                error("--write-low-watermark", "1MiB"));
        assertEquals("--write-low-watermark must be 0..write-high-watermark-1 (65535), got 131072",
                error("--write-high-watermark", "64KiB", "--write-low-watermark", "128KiB"));
        assertEquals("--slow-consumer-bytes must exceed write-high-watermark 1048576, got 1048576",
                error("--slow-consumer-bytes", "1MiB"));
        assertEquals("--read-budget-bytes must be at least read-buffer-bytes 65536, got 4096",
                error("--read-budget-bytes", "4KiB"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().writeHighWatermark(1000).writeLowWatermark(1000).build());
        assertEquals("write-low-watermark must be 0..write-high-watermark-1 (999), got 1000", e.getMessage());
    }

    @Test
    void readBudgetIsOneReadBufferUnlessSet() {
        // One read per client per turn: a raised read buffer takes the budget along instead of being refused by it.
        assertEquals(64 * 1024, ServerConfig.builder().build().readBudgetBytes());
        assertEquals(256 * 1024, ServerConfig.builder().readBufferBytes(256 * 1024).build().readBudgetBytes());
        assertEquals(512 * 1024, ServerConfig.builder().readBufferBytes(256 * 1024).readBudgetBytes(512 * 1024)
                .build().readBudgetBytes());
    }

    @Test
    void badValueFromEnvironmentOrFileNamesItsSource() throws Exception {
        assertEquals("COURIER_PORT: port must be 0..65535, got 70000", error(Map.of("COURIER_PORT", "70000")));
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"idle-timeout\": \"forever\"}");
        assertEquals("bad.json key \"idle-timeout\": idle-timeout must be a duration such as 500ms, 5s or 2m, "
                + "got 'forever'", error("--config", file.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|listen address '127.0.0.1' must look like HOST:PORT",
        "127.0.0.1:99999|port must be 0..65535, got 99999",
        "udp:127.0.0.1:x|has no numeric port",
        "unix:|needs a path after unix:",
        "unix:/tmp/s.sock,mode=999|mode must be three octal digits such as 660, got '999'",
        "127.0.0.1:0,nagle=off|unknown listen option 'nagle'",
        "127.0.0.1:0,backlog|needs =VALUE",
    })
    void badListenSpecIsExplained(String spec, String expectedPart) {
        String message = error("--listen", spec);
        assertTrue(message.startsWith("--listen"), message);
        assertTrue(message.contains(expectedPart), message);
    }
}
