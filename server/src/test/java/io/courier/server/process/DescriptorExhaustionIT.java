package io.courier.server.process;

import io.courier.server.support.PortFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of file descriptors (the server runs under {@code ulimit -n 96}), the server neither spins nor dies: it
 * pauses accepting, keeps serving the clients it has, and accepts again once descriptors free up, including the
 * clients that waited in the listen backlog meanwhile.
 */
@Timeout(90)
class DescriptorExhaustionIT {

    @Test
    void outOfDescriptorsTheServerPausesAcceptingWithoutSpinningAndRecovers() throws Exception {
        Path jar = Path.of("target", "server.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        Path portFile = PortFiles.newPortFile();
        Process server = new ProcessBuilder("bash", "-c", "ulimit -n 96 && exec java -jar '" + jar
                + "' --port 0 --port-file '" + portFile + "'").redirectErrorStream(true).start();
        List<Socket> clients = new ArrayList<>();
        try {
            StringBuilder log = new StringBuilder();
            Thread reader = new Thread(() -> readLog(server.getInputStream(), log));
            reader.setDaemon(true);
            reader.start();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1",
                    PortFiles.awaitTcpPort(portFile, server, Duration.ofSeconds(30)));

            Socket first = connectAndPing(address);
            for (int i = 0; i < 120; i++) {
                clients.add(new Socket(address.getAddress(), address.getPort())); // the kernel's backlog takes them
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> contains(log, "pausing accepts"));

            long cpuBefore = cpuTicks(server.pid());
            ping(first); // an established client is still served while accepting is paused
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            long cpuTicks = cpuTicks(server.pid()) - cpuBefore;
            assertTrue(cpuTicks < 50, "the loop must not spin while out of descriptors: " + cpuTicks + " ticks in 2 s");

            for (Socket client : clients.subList(0, 60)) {
                client.close();
            }
            for (Socket client : clients.subList(60, clients.size())) {
                client.setSoTimeout(10_000);
                ping(client); // waited in the backlog, accepted once descriptors came back
            }
            connectAndPing(address).close();
            assertTrue(server.isAlive(), "the server must survive descriptor exhaustion; log:\n" + log);
            assertTrue(!contains(log, "ERROR"), "no error may be logged:\n" + log);
            first.close();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Socket connectAndPing(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        ping(socket);
        return socket;
    }

    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write("{\"type\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
        String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertTrue(line != null && line.contains("\"ok\":true"), "ping reply: " + line);
    }

    private static boolean contains(StringBuilder log, String text) {
        synchronized (log) {
            return log.indexOf(text) >= 0;
        }
    }

    private static void readLog(InputStream in, StringBuilder log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** User plus system CPU time of a process, in clock ticks, from /proc. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
