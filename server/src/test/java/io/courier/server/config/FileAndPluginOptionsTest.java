package io.courier.server.config;

import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** files-dir, max-file-bytes, max-files-bytes, partial-max-age and plugins as flags, variables and file keys. */
class FileAndPluginOptionsTest {
    @TempDir
    Path dir;

    @Test
    void defaults() throws Exception {
        ServerConfig config = ConfigLoader.load(new String[0], Map.of()).settings().server();
        assertEquals(Path.of("files"), config.files().dir());
        assertEquals(1L << 30, config.files().maxFileBytes());
        assertEquals(10L << 30, config.files().maxTotalBytes());
        assertEquals(Duration.ofHours(24), config.files().partialMaxAge());
        assertNull(config.pluginsDir());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("server.json"), "{\"files-dir\": \"/srv/from-file\", "
                + "\"max-files-bytes\": \"5GiB\", \"partial-max-age\": \"3h\"}");
        String[] args = {"--config", file.toString(), "--files-dir", dir.resolve("uploads").toString(),
            "--max-file-bytes", "2MiB", "--plugins", dir.toString()};
        ServerConfig config = ConfigLoader.load(args, Map.of("COURIER_PARTIAL_MAX_AGE", "30m",
                "COURIER_FILES_DIR", "/srv/from-env")).settings().server();
        assertEquals(dir.resolve("uploads"), config.files().dir());
        assertEquals(2L << 20, config.files().maxFileBytes());
        assertEquals(5L << 30, config.files().maxTotalBytes());
        assertEquals(Duration.ofMinutes(30), config.files().partialMaxAge());
        assertEquals(dir, config.pluginsDir());
    }

    @Test
    void wrongValuesNameTheOption() {
        assertRefused("--max-file-bytes must be 1 or more, got 0", "--max-file-bytes", "0");
        assertRefused("--max-files-bytes must be a size", "--max-files-bytes", "lots");
        assertRefused("--partial-max-age must be a duration", "--partial-max-age", "soon");
        assertRefused("--plugins must be a directory of plugin jars", "--plugins", dir.resolve("missing").toString());
    }

    @Test
    void helpListsTheNewOptions() {
        String help = ConfigLoader.help();
        for (String flag : new String[] {"--files-dir", "--max-file-bytes", "--max-files-bytes", "--partial-max-age",
            "--plugins"}) {
            assertTrue(help.contains(flag), flag);
        }
    }

    private static void assertRefused(String start, String... args) {
        ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(args, Map.of()));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
