package io.courier.server.config;

import io.courier.server.config.ListenerSpec;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each setting comes from: flag beats environment beats config file beats default. */
class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path file = dir.resolve("courier.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static Settings load(Map<String, String> env, String... args) throws ConfigLoader.ConfigException {
        ConfigLoader.Result result = ConfigLoader.load(args, env);
        assertFalse(result.helpRequested());
        return result.settings();
    }

    @Test
    void nothingGivenMeansTheDocumentedDefaults() throws Exception {
        Settings settings = load(Map.of());
        ServerConfig config = settings.server();
        assertEquals(List.of(new ListenerSpec(ListenerSpec.Transport.TCP, "127.0.0.1", 6666, null,
                config.socketOptions())), config.listeners());
        assertEquals(10_000, config.maxConnections());
        assertEquals(Duration.ofMinutes(5), config.idleTimeout());
        assertEquals(Duration.ofSeconds(30), config.frameTimeout());
        assertEquals(1 << 20, config.limits().maxHeaderBytes());
        assertEquals(16 << 20, config.limits().maxBodyBytes());
        assertEquals(Duration.ofSeconds(5), config.drainTimeout());
        assertEquals("INFO", settings.logLevel());
        assertNull(settings.logDir());
        assertEquals(-1, settings.metricsPort());
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = file("{\"port\": 7001, \"max-connections\": 11, \"idle-timeout\": \"11s\", \"log-level\": \"warn\"}");
        Map<String, String> env = Map.of("COURIER_PORT", "7002", "COURIER_MAX_CONNECTIONS", "22");

        Settings settings = load(env, "--config", file.toString(), "--port", "7003");

        assertEquals(7003, settings.server().port(), "port: flag over env and file");
        assertEquals(22, settings.server().maxConnections(), "max-connections: env over file");
        assertEquals(Duration.ofSeconds(11), settings.server().idleTimeout(), "idle-timeout: file over default");
        assertEquals("WARN", settings.logLevel(), "log-level: file over default");
        assertEquals(Duration.ofSeconds(30), settings.server().frameTimeout(), "frame-timeout: the default");
    }

    @Test
    void eachLayerWinsOnceTheOnesAboveItAreGone() throws Exception {
        Path file = file("{\"port\": 7001}");
        Map<String, String> env = Map.of("COURIER_PORT", "7002");
        String[] withFile = {"--config", file.toString()};

        assertEquals(7003, load(env, "--config", file.toString(), "--port=7003").server().port());
        assertEquals(7002, load(env, withFile).server().port());
        assertEquals(7001, load(Map.of(), withFile).server().port());
        assertEquals(6666, load(Map.of()).server().port());
    }

    @Test
    void theEnvironmentCanNameTheConfigFileAndAFlagCanOverrideIt() throws Exception {
        Path envFile = file("{\"port\": 7101}");
        Path flagFile = dir.resolve("other.json");
        Files.writeString(flagFile, "{\"port\": 7102}");
        Map<String, String> env = Map.of("COURIER_CONFIG", envFile.toString());

        assertEquals(7101, load(env).server().port());
        assertEquals(7102, load(env, "--config", flagFile.toString()).server().port());
    }

    @Test
    void aHigherSourceReplacesTheWholeListenerListInsteadOfMerging() throws Exception {
        Path file = file("{\"listen\": [\"127.0.0.1:7201\", \"udp:127.0.0.1:7202\"]}");
        Map<String, String> env = Map.of("COURIER_LISTEN", "127.0.0.1:7301 unix:/tmp/courier-x.sock");

        List<ListenerSpec> fromFile = load(Map.of(), "--config", file.toString()).server().listeners();
        assertEquals(List.of("tcp:127.0.0.1:7201", "udp:127.0.0.1:7202"), names(fromFile));

        List<ListenerSpec> fromEnv = load(env, "--config", file.toString()).server().listeners();
        assertEquals(List.of("tcp:127.0.0.1:7301", "unix:/tmp/courier-x.sock"), names(fromEnv));

        List<ListenerSpec> fromFlags = load(env, "--config", file.toString(), "--listen", "[::1]:7401",
                "--listen", "tcp:[::]:7402,backlog=7", "--allow-anonymous", "true").server().listeners();
        assertEquals(List.of("tcp:[::1]:7401", "tcp:[::]:7402"), names(fromFlags));
        assertEquals(7, fromFlags.get(1).options().backlog());
    }

    @Test
    void listenerOptionsAreParsedFromTheSpec() throws Exception {
        ListenerSpec unix = load(Map.of(), "--listen", "unix:/tmp/c.sock,mode=600,backlog=3").server().listeners()
                .get(0);
        assertEquals(ListenerSpec.Transport.UNIX, unix.transport());
        assertEquals(Path.of("/tmp/c.sock"), unix.path());
        assertEquals("600", unix.options().unixMode());
        assertEquals(3, unix.options().backlog());

        ListenerSpec tcp = load(Map.of(), "--listen", "127.0.0.1:0,no-delay=false,keep-alive=off,rcvbuf=128KiB,"
                + "sndbuf=64k,reuse-address=no").server().listeners().get(0);
        ListenerSpec.SocketOptions options = tcp.options();
        assertFalse(options.tcpNoDelay());
        assertFalse(options.keepAlive());
        assertEquals(128 * 1024, options.receiveBufferBytes());
        assertEquals(64 * 1024, options.sendBufferBytes());
        assertFalse(options.reuseAddress());
    }

    @Test
    void everyOptionIsReachableAsFlagEnvironmentVariableAndFileKey() throws Exception {
        Map<String, String> sample = new HashMap<>();
        sample.put("listen", "127.0.0.1:0");
        sample.put("host", "127.0.0.1");
        sample.put("port", "0");
        sample.put("backlog", "5");
        sample.put("tcp-no-delay", "false");
        sample.put("keep-alive", "false");
        sample.put("rcvbuf", "64KiB");
        sample.put("sndbuf", "64KiB");
        sample.put("reuse-address", "false");
        sample.put("max-connections", "3");
        sample.put("idle-timeout", "1s");
        sample.put("frame-timeout", "2s");
        sample.put("max-header-bytes", "4KiB");
        sample.put("max-body-bytes", "8KiB");
        sample.put("read-buffer-bytes", "2KiB");
        sample.put("read-budget-bytes", "128KiB");
        sample.put("write-high-watermark", "2MiB");
        sample.put("write-low-watermark", "16KiB");
        sample.put("slow-consumer-bytes", "128MiB");
        sample.put("accept-batch", "2");
        sample.put("drain-timeout", "250ms");
        sample.put("log-level", "DEBUG");
        sample.put("log-dir", dir.toString());
        sample.put("metrics-port", "0");
        sample.put("metrics-host", "127.0.0.1");
        sample.put("worker-threads", "4");
        sample.put("worker-queue", "16");
        sample.put("max-in-flight", "8");
        sample.put("files-dir", dir.toString());
        sample.put("max-file-bytes", "1MiB");
        sample.put("max-files-bytes", "2MiB");
        sample.put("partial-max-age", "1h");
        sample.put("plugins", dir.toString());
        sample.put("port-file", dir.resolve("ports").toString());
        sample.put("connection-log", "info");
        sample.put("loop-stall-timeout", "2s");
        Path users = Files.writeString(dir.resolve("users.json"), "{\"users\": []}");
        sample.put("users", users.toString());
        sample.put("allow-anonymous", "true");
        sample.put("max-rooms-per-connection", "7");
        sample.put("max-members-per-room", "8");
        sample.put("max-rooms", "9");
        sample.put("max-uploads-per-connection", "2");
        sample.put("max-buffered-bytes", "64MiB");
        sample.put("room-history", "10");
        sample.put("room-history-bytes", "1MiB");
        sample.put("cluster", "redis://127.0.0.1:6379/2");
        sample.put("cluster-timeout", "5s");
        sample.put("ws-allowed-origins", "https://app.example.com,http://localhost:8080");
        sample.put("tls-cert", "cert.pem");
        sample.put("tls-key", "key.pem");
        sample.put("tls-keystore", "server.p12");
        sample.put("tls-keystore-password", "secret");
        sample.put("tls-client-ca", "ca.pem");
        sample.put("tls-client-auth", "optional");
        // A TLS option is refused without a tls: listener and its partner options (the files are read later).
        Map<String, List<String>> partners = Map.of(
                "tls-cert", List.of("--tls-key", "key.pem"),
                "tls-key", List.of("--tls-cert", "cert.pem"),
                "tls-keystore", List.of(),
                "tls-keystore-password", List.of("--tls-keystore", "server.p12"),
                "tls-client-ca", List.of("--tls-keystore", "server.p12", "--tls-client-auth", "require"),
                "tls-client-auth", List.of("--tls-keystore", "server.p12", "--tls-client-ca", "ca.pem"));
        for (Option option : Options.ALL) {
            String value = sample.get(option.name());
            assertTrue(value != null, "the test has no sample value for option " + option.name());
            List<String> with = new java.util.ArrayList<>();
            if (partners.containsKey(option.name())) {
                with.addAll(List.of("--listen", "tls:127.0.0.1:0"));
                with.addAll(partners.get(option.name()));
            }
            List<String> flag = new java.util.ArrayList<>(with);
            flag.addAll(List.of(option.flag(), value));
            load(Map.of(), flag.toArray(new String[0]));
            load(Map.of(option.envName(), value), with.toArray(new String[0]));
            with.addAll(List.of("--config", file("{\"" + option.name() + "\": \"" + value + "\"}").toString()));
            load(Map.of(), with.toArray(new String[0]));
        }
        Settings viaFlags = load(Map.of(), "--max-connections", "3", "--log-dir", dir.toString(),
                "--metrics-port", "9999", "--drain-timeout", "250ms");
        assertEquals(3, viaFlags.server().maxConnections());
        assertEquals(dir, viaFlags.logDir());
        assertEquals(9999, viaFlags.metricsPort());
        assertEquals(Duration.ofMillis(250), viaFlags.server().drainTimeout());
    }

    @Test
    void helpIsRecognisedAndListsEveryOption() throws Exception {
        assertTrue(ConfigLoader.load(new String[] {"--help"}, Map.of()).helpRequested());
        assertTrue(ConfigLoader.load(new String[] {"-h"}, Map.of()).helpRequested());
        String help = ConfigLoader.help();
        for (Option option : Options.ALL) {
            assertTrue(help.contains(option.flag() + " "), "--help lacks " + option.flag() + ":\n" + help);
        }
        assertTrue(help.contains("--config"));
    }

    private static List<String> names(List<ListenerSpec> listeners) {
        return listeners.stream().map(ListenerSpec::toString).toList();
    }
}
