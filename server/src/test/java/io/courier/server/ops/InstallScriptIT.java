package io.courier.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.metrics.BuildInfo;
import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented install, played into a temporary root as far as it goes without systemd: deploy/install.sh
 * --root puts the files where the unit expects them; the directories systemd would make (RuntimeDirectory=,
 * LogsDirectory=, StateDirectory=) are made; then the unit's ExecStart runs, every absolute path moved under the
 * root, with the installed config. The server must check out (--check-config), then serve on TCP and on the Unix
 * socket, let in a user added to the installed users file by the token command and SIGHUP, store a file in the
 * state directory, log to the log directory, answer metrics and health, and stop on SIGTERM with exit 0.
 */
@Timeout(120)
class InstallScriptIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    @Test
    void theInstalledServiceStartsAndServesEverythingTheUnitGivesIt(@TempDir Path root) throws Exception {
        Tools.Run install = Tools.run(null, "sh", DEPLOY.resolve("install.sh").toString(), "--root",
                root.toString(), "--jar", JarProcess.jar().toString());
        assertEquals(0, install.exitCode(), install.output());
        assertTrue(install.output().contains("staging into " + root), install.output());

        Path unitFile = root.resolve("etc/systemd/system/courier.service");
        List<String> unit = Files.readAllLines(unitFile, StandardCharsets.UTF_8);
        assertEquals(Files.readString(DEPLOY.resolve("courier.service")), Files.readString(unitFile));
        Path docs = under(root, value(unit, "Documentation=").substring("file://".length()));
        assertEquals(Files.readString(DEPLOY.resolveSibling("README.md")), Files.readString(docs),
                "README.md where Documentation= points");
        assertArrayEquals(Files.readAllBytes(JarProcess.jar()),
                Files.readAllBytes(root.resolve("opt/courier/server.jar")));
        Path config = root.resolve("etc/courier/server.json");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)),
                "readable by root and the courier group only");

        // What systemd makes before ExecStart, owned by the service user.
        for (String[] directory : new String[][] {{"RuntimeDirectory=", "run"}, {"LogsDirectory=", "var/log"},
                {"StateDirectory=", "var/lib"}}) {
            Files.createDirectories(root.resolve(directory[1]).resolve(value(unit, directory[0])));
        }
        Path workingDirectory = under(root, value(unit, "WorkingDirectory="));
        assertTrue(Files.isDirectory(workingDirectory), "WorkingDirectory= is the StateDirectory=");

        List<String> args = new ArrayList<>();
        for (String word : execStart(unit).split(" ")) {
            args.add(word.startsWith("/") ? under(root, word).toString() : word);
        }
        int jarAt = args.indexOf("-jar");
        Path installedJar = Path.of(args.get(jarAt + 1));
        assertEquals(root.resolve("opt/courier/server.jar"), installedJar);
        List<String> jvmOptions = args.subList(1, jarAt); // args.get(0) is the unit's java; the test's JDK runs it
        String[] serverArgs = args.subList(jarAt + 2, args.size()).toArray(new String[0]);

        Map<String, String> env = overrides(root, config);

        try (JarProcess check = JarProcess.start(workingDirectory, jvmOptions, installedJar, env,
                with(serverArgs, "--check-config"))) {
            assertEquals(0, check.awaitExit(WAIT), check.describe());
            assertTrue(check.stdout().startsWith("courier: configuration OK"), check.describe());
        }
        try (JarProcess server = JarProcess.start(workingDirectory, jvmOptions, installedJar, env, serverArgs)) {
            int port = server.awaitListeningPort();
            try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertTrue(client.call(Message.of("ping"), WAIT).isOk());
                Message put = Message.of("file.put").with("name", "hello.txt").with("last", true)
                        .withBody("hi".getBytes(StandardCharsets.UTF_8));
                assertEquals("unauthorized", client.call(put, WAIT).errorCode(), "the installed users file is empty");

                // As README says: make a token, add its entry to the users file, SIGHUP (systemctl reload).
                String token = addUser(root, jvmOptions, installedJar, workingDirectory);
                Tools.kill("-HUP", server.pid());
                await().atMost(WAIT).until(() -> server.stdout().contains("SIGHUP: reloaded the users file "
                        + root.resolve("etc/courier/users.json")));
                assertTrue(client.call(Message.of("auth").with("token", token), WAIT).isOk());
                Message stored = client.call(put, WAIT);
                assertTrue(stored.isOk(), stored.toString());
            }
            assertEquals("hi", Files.readString(root.resolve("var/lib/courier/files/hello.txt")),
                    "files-dir is in the StateDirectory");

            Path socket = Path.of(server.awaitAddress("unix"));
            assertEquals(root.resolve("run/courier/courier.sock"), socket);
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertTrue(pingOverUnixSocket(socket).contains("\"ok\":true"));

            String metrics = "http://" + server.awaitAddress("metrics");
            assertEquals(200, Http.status(metrics, "/readyz"));
            assertEquals(200, Http.status(metrics, "/healthz"));
            String scrape = Http.scrape(metrics);
            assertEquals(1.0, Http.value(scrape, "courier_requests_total{code=\"ok\",type=\"file.put\"}"), scrape);
            assertEquals(1.0, Http.value(scrape, "courier_requests_total{code=\"unauthorized\",type=\"file.put\"}"));

            Path log = root.resolve("var/log/courier/courier.log");
            await().atMost(WAIT).until(() -> Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8).contains("Listening on"));
            assertTrue(Files.readString(log).contains("Courier " + BuildInfo.version() + " starting"),
                    Files.readString(log));

            server.process().destroy(); // systemctl stop: SIGTERM
            assertEquals(0, server.awaitExit(WAIT), server.describe());
        }
    }

    /** Runs the installed jar's token command and puts its entry in the installed users file; returns the token. */
    private static String addUser(Path root, List<String> jvmOptions, Path jar, Path workingDirectory)
            throws Exception {
        try (JarProcess token = JarProcess.start(workingDirectory, jvmOptions, jar, Map.of(), "token", "tester",
                "*")) {
            assertEquals(0, token.awaitExit(WAIT), token.describe());
            List<String> lines = token.stdout().lines().collect(Collectors.toList());
            String entry = lines.get(lines.size() - 1);
            Files.writeString(root.resolve("etc/courier/users.json"), "{\"users\": [" + entry + "]}\n");
            return lines.get(1);
        }
    }


    /**
     * The environment that moves the installed config's absolute paths under the root and its fixed ports to free
     * ones (the config file itself stays as installed). Fails if the config names a path or port this does not
     * know about, so nothing escapes the root unnoticed.
     */
    private static Map<String, String> overrides(Path root, Path config) throws Exception {
        JsonNode json = new ObjectMapper().readTree(config.toFile());
        Map<String, String> env = new HashMap<>();
        List<String> listeners = new ArrayList<>();
        for (JsonNode listener : json.path("listen")) {
            String spec = listener.asText();
            listeners.add(spec.startsWith("unix:") ? "unix:" + under(root, spec.substring(5))
                    : spec.replaceFirst("^(tcp|udp):[^,]+:\\d+", "$1:127.0.0.1:0"));
        }
        env.put("COURIER_LISTEN", String.join(" ", listeners));
        env.put("COURIER_METRICS_PORT", "0");
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            String name = field.getKey();
            String text = field.getValue().asText();
            if (name.equals("listen") || name.equals("metrics-port")) {
                continue;
            }
            assertTrue(!name.endsWith("port") && !name.equals("port-file"), "the test does not move " + name);
            if (text.startsWith("/")) {
                env.put("COURIER_" + name.toUpperCase(Locale.ROOT).replace('-', '_'),
                        under(root, text).toString());
            }
        }
        assertTrue(env.containsKey("COURIER_FILES_DIR"), "the installed config puts files-dir in /var/lib/courier");
        return env;
    }

    private static String pingOverUnixSocket(Path socket) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("{\"type\":\"ping\",\"id\":1}\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            StringBuilder reply = new StringBuilder();
            while (reply.indexOf("\n") < 0 && channel.read(in) > 0) {
                in.flip();
                reply.append(StandardCharsets.UTF_8.decode(in));
                in.clear();
            }
            return reply.toString();
        }
    }

    /** The unit's ExecStart= line, with $JAVA_OPTS replaced by the Environment= value (as systemd splits it). */
    static String execStart(List<String> unit) {
        String javaOpts = value(unit, "Environment=\"JAVA_OPTS=");
        javaOpts = javaOpts.substring(0, javaOpts.length() - 1);
        // The heap sizes of a production box do not belong on a shared test machine; every other flag stays.
        javaOpts = javaOpts.replaceAll("-Xm[sx]\\S+", "").replaceAll(" +", " ").strip() + " -Xmx256m";
        return value(unit, "ExecStart=").replace("$JAVA_OPTS", javaOpts);
    }

    private static String value(List<String> unit, String prefix) {
        List<String> found = unit.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "one " + prefix + " line in the unit: " + found);
        return found.get(0);
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static String[] with(String[] args, String extra) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(extra);
        return all.toArray(new String[0]);
    }
}
