package io.courier.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The server's files (PROTOCOL.md, File transfer) through one {@link MessageClient}: chunked uploads that resume
 * what the server kept of an interrupted one, chunked downloads, listing, status and delete. Not thread-safe: one
 * transfer at a time per instance. Refusals come as {@link ErrorReplyException} with the server's error code.
 *
 * <pre>{@code
 * RemoteFiles files = new RemoteFiles(client);
 * UploadReceipt receipt = files.upload(Path.of("report.pdf"), "report.pdf", (done, total) -> { });
 * files.download("report.pdf", Path.of("copy.pdf"), TransferProgress.NONE);
 * }</pre>
 */
public final class RemoteFiles {
    /** 256 KiB: within PROTOCOL.md's advice (64 KiB to 1 MiB) and far below the default max-body-bytes. */
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
    public static final int DEFAULT_WINDOW = 8;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How long an upload waits for the server to notice that an earlier uploader of the name disconnected. */
    public static final Duration DEFAULT_RESUME_WAIT = Duration.ofSeconds(5);

    /** A file as {@code file.list} shows it. */
    public record Entry(String name, long size, long modifiedMillis) {
    }

    /** The {@code file.list} reply: complete files by name, and the bytes used and allowed. */
    public record Listing(List<Entry> files, long usedBytes, long maxFileBytes, long maxFilesBytes) {
    }

    /** The {@code file.status} reply. {@code size} and {@code modifiedMillis} are -1 unless it {@code exists}. */
    public record Status(String name, long stored, boolean uploading, boolean exists, long size,
                         long modifiedMillis) {
    }

    /** The {@code file.delete} reply: bytes of the file and of an abandoned partial upload deleted. */
    public record Deleted(String name, long size, long partialBytes) {
    }

    final MessageClient client;
    int chunkBytes = DEFAULT_CHUNK_BYTES;
    int window = DEFAULT_WINDOW;
    Duration timeout = DEFAULT_TIMEOUT;
    Duration resumeWait = DEFAULT_RESUME_WAIT;

    public RemoteFiles(MessageClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Bytes per chunk, for uploads and downloads (at most the server's max-body-bytes). */
    public RemoteFiles chunkBytes(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, got " + value);
        }
        this.chunkBytes = value;
        return this;
    }

    /** Chunks in flight at once. */
    public RemoteFiles window(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + value);
        }
        this.window = value;
        return this;
    }

    /** The longest wait for any one reply. */
    public RemoteFiles timeout(Duration value) {
        this.timeout = Objects.requireNonNull(value, "timeout");
        return this;
    }

    /** How long {@link #upload} waits for another connection's upload of the name to be over before it tries. */
    public RemoteFiles resumeWait(Duration value) {
        this.resumeWait = Objects.requireNonNull(value, "resumeWait");
        return this;
    }

    /**
     * Uploads {@code file} as {@code name}. If the server kept a partial upload of that name (an earlier upload
     * was cut off), it continues from there instead of from 0; the whole file's SHA-256 goes with the last chunk,
     * so the server refuses a result that is not this file, and a resumed start that was some other file's is
     * thrown away and sent again from 0. Returns the server's receipt once it matches the local SHA-256.
     */
    public UploadReceipt upload(Path file, String name, TransferProgress progress)
            throws IOException, TimeoutException {
        return new Upload(this, file, name, progress).run();
    }

    /**
     * Downloads {@code name} into {@code target}: written to a temporary file beside it, then moved over it, so
     * {@code target} is never half a file. Fails if the file changes on the server while it is being read.
     */
    public DownloadResult download(String name, Path target, TransferProgress progress)
            throws IOException, TimeoutException {
        return Download.toFile(this, name, target, progress);
    }

    /** Downloads {@code name} into {@code out} (not closed), e.g. standard output. */
    public DownloadResult download(String name, OutputStream out, TransferProgress progress)
            throws IOException, TimeoutException {
        return new Download(this, name, progress).run(out);
    }

    public Listing list() throws IOException, TimeoutException {
        Message reply = client.callOk(Message.of("file.list"), timeout);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode file : reply.header().path("files")) {
            entries.add(new Entry(file.path("name").asText(), file.path("size").asLong(),
                    file.path("modified").asLong()));
        }
        ObjectNode header = reply.header();
        return new Listing(List.copyOf(entries), header.path("used_bytes").asLong(),
                header.path("max_file_bytes").asLong(), header.path("max_files_bytes").asLong());
    }

    public Status status(String name) throws IOException, TimeoutException {
        ObjectNode header = client.callOk(Message.of("file.status").with("name", name), timeout).header();
        return new Status(name, header.path("stored").asLong(), header.path("uploading").asBoolean(),
                header.path("exists").asBoolean(), header.path("size").asLong(-1),
                header.path("modified").asLong(-1));
    }

    public Deleted delete(String name) throws IOException, TimeoutException {
        ObjectNode header = client.callOk(Message.of("file.delete").with("name", name), timeout).header();
        return new Deleted(name, header.path("size").asLong(), header.path("partial_bytes").asLong());
    }
}
