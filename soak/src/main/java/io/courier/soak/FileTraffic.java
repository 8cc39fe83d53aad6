package io.courier.soak;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * File transfers, one connection per worker, over and over until stopped: upload a random file in 64 KiB chunks
 * (pipelined, with its sha256) and check every chunk's reply and the completion receipt; download it in 256 KiB
 * pieces and compare; delete it and check the size deleted. Workers alternate binary and JSON-text framing.
 */
final class FileTraffic {
    private static final int CHUNK = 64 * 1024;
    private static final int GET_LENGTH = 256 * 1024;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean stopping;

    static FileTraffic start(SoakConfig config, int port) {
        FileTraffic traffic = new FileTraffic();
        for (int i = 0; i < config.fileWorkers(); i++) {
            Framing framing = i % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT;
            Worker worker = traffic.new Worker(i, framing, port, config.fileMaxBytes());
            traffic.workers.add(worker);
            worker.thread.start();
        }
        return traffic;
    }

    void stop() {
        stopping = true;
    }

    /** Waits (bounded) for the workers to finish their current transfer and sums each up. */
    List<Workload> finish(Duration timeout) throws InterruptedException {
        stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Workload> results = new ArrayList<>();
        for (Worker w : workers) {
            w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.thread.isAlive()) {
                w.tally.problem("stuck", "the worker did not finish its transfer in time");
                w.closeClient();
            }
            results.add(new Workload("files (" + (w.framing == Framing.BINARY ? "binary" : "JSON text") + ")",
                    w.tally.get("transfers"), w.tally.get("failed") + w.tally.get("stuck"),
                    String.format(Locale.ROOT, "%d transfers (chunked upload with sha256 and receipt, download "
                                    + "compared, delete), %.1f MiB up, %.1f MiB down, files of 0..%d KiB",
                            w.tally.get("transfers"), w.tally.get("bytes up") / 1048576.0,
                            w.tally.get("bytes down") / 1048576.0, w.maxBytes / 1024),
                    w.tally.samples()));
        }
        return results;
    }

    private final class Worker {
        final int index;
        final Framing framing;
        final int port;
        final int maxBytes;
        final Tally tally = new Tally();
        final Thread thread;
        private volatile MessageClient client;

        Worker(int index, Framing framing, int port, int maxBytes) {
            this.index = index;
            this.framing = framing;
            this.port = port;
            this.maxBytes = maxBytes;
            this.thread = new Thread(this::run, "soak-files-" + index);
            this.thread.setDaemon(true);
        }

        private void run() {
            Random random = new Random(1000 + index);
            int round = 0;
            while (!stopping) {
                round++;
                String name = "soak-" + index + "-" + (round % 16) + ".bin";
                byte[] content = new byte[size(random, round)];
                random.nextBytes(content);
                try {
                    if (client == null || !client.isOpen()) {
                        if (client != null) {
                            tally.problem("failed", "the connection was lost; reconnecting");
                        }
                        client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port), framing,
                                CALL_TIMEOUT);
                    }
                    transfer(name, content);
                    tally.count("transfers");
                } catch (Exception e) {
                    tally.problem("failed", name + " (" + content.length + " bytes): " + e);
                }
            }
            closeClient();
        }

        /** Sizes cycle through the edge cases (empty, one byte, exactly one chunk) and random ones. */
        private int size(Random random, int round) {
            switch (round % 8) {
                case 0:
                    return 0;
                case 1:
                    return 1;
                case 2:
                    return Math.min(maxBytes, CHUNK);
                default:
                    return random.nextInt(maxBytes + 1);
            }
        }

        private void transfer(String name, byte[] content) throws Exception {
            String sha256 = HexFormat.of().formatHex(sha256(content));
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            int offset = 0;
            do {
                int end = Math.min(content.length, offset + CHUNK);
                Message put = Message.of("file.put").with("name", name).with("offset", offset)
                        .with("last", end == content.length).withBody(Arrays.copyOfRange(content, offset, end));
                if (offset == 0) {
                    put.with("sha256", sha256);
                }
                replies.add(client.request(put));
                ends.add(end);
                offset = end;
            } while (offset < content.length);
            for (int i = 0; i < replies.size(); i++) {
                Message reply = replies.get(i).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean last = i == replies.size() - 1;
                require(reply.isOk() && reply.header().path("stored").asLong() == ends.get(i)
                        && reply.header().path("complete").asBoolean() == last, "file.put", reply);
                if (last) {
                    require(reply.header().path("size").asLong() == content.length
                            && sha256.equals(reply.header().path("sha256").asText()), "receipt", reply);
                }
            }
            tally.add("bytes up", content.length);
            tally.add("bytes down", download(name, content));
            Message deleted = client.call(Message.of("file.delete").with("name", name), CALL_TIMEOUT);
            require(deleted.isOk() && deleted.header().path("size").asLong() == content.length
                    && deleted.header().path("partial_bytes").asLong() == 0, "file.delete", deleted);
        }

        private long download(String name, byte[] content) throws Exception {
            ByteArrayOutputStream got = new ByteArrayOutputStream(content.length);
            long offset = 0;
            for (int piece = 0; piece <= content.length / GET_LENGTH + 1; piece++) {
                Message reply = client.call(Message.of("file.get").with("name", name).with("offset", offset)
                        .with("length", GET_LENGTH), CALL_TIMEOUT);
                require(reply.isOk() && reply.header().path("size").asLong() == content.length
                        && reply.header().path("length").asLong() == reply.bodyLength(), "file.get", reply);
                got.writeBytes(reply.body());
                offset += reply.bodyLength();
                if (reply.header().path("last").asBoolean()) {
                    break;
                }
            }
            if (!Arrays.equals(content, got.toByteArray())) {
                throw new IllegalStateException("downloaded " + got.size() + " bytes differ from the "
                        + content.length + " uploaded");
            }
            return got.size();
        }

        void closeClient() {
            MessageClient current = client;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static void require(boolean condition, String step, Message reply) {
        if (!condition) {
            String text = reply.toString();
            throw new IllegalStateException(step + " reply not as expected: "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
