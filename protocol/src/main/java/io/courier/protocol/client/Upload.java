package io.courier.protocol.client;

import io.courier.protocol.Message;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;

/** One upload of {@link RemoteFiles#upload}: find where to start, then pipeline the chunks. */
final class Upload {
    private static final long STATUS_POLL_MILLIS = 100;

    private final RemoteFiles files;
    private final Path file;
    private final String name;
    private final TransferProgress progress;

    Upload(RemoteFiles files, Path file, String name, TransferProgress progress) {
        this.files = files;
        this.file = file;
        this.name = name;
        this.progress = progress == null ? TransferProgress.NONE : progress;
    }

    UploadReceipt run() throws IOException, TimeoutException {
        long size = Files.size(file);
        long from = resumableOffset(size);
        try {
            return send(from, size, false);
        } catch (ErrorReplyException e) {
            if (from == 0 || !"checksum_mismatch".equals(e.code())) {
                throw e;
            }
            // The partial upload we continued was not the start of this file (another file of that name was
            // cut off). The server has thrown it away; this time every byte is ours.
            return send(0, size, true);
        }
    }

    /**
     * The bytes the server kept of an earlier upload of this name. While another connection still holds the
     * upload (it may have just died: the server notices within moments), wait a little for it to let go.
     */
    private long resumableOffset(long size) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + files.resumeWait.toNanos();
        RemoteFiles.Status status = files.status(name);
        while (status.uploading() && System.nanoTime() < deadline) {
            pause();
            status = files.status(name);
        }
        // More than this file holds cannot be its beginning: offset 0 makes the server start over.
        return status.stored() <= size ? status.stored() : 0;
    }

    private UploadReceipt send(long from, long size, boolean restarted) throws IOException, TimeoutException {
        MessageDigest sha256 = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            hashPrefix(channel, from, sha256);
            progress.started(from, size);
            Pipeline pipeline = new Pipeline(files.client, files.window, files.timeout);
            Message receipt = null;
            String localSha256 = null;
            try {
                long offset = from;
                do {
                    int length = (int) Math.min(files.chunkBytes, size - offset);
                    byte[] chunk = read(channel, offset, length);
                    sha256.update(chunk);
                    Message put = Message.of("file.put").with("name", name).with("offset", offset);
                    offset += length;
                    if (offset == size) {
                        // On the last chunk: the server checks the whole file against it before keeping it.
                        localSha256 = HexFormat.of().formatHex(sha256.digest());
                        put.with("last", true).with("sha256", localSha256);
                    }
                    pipeline.send(put.withBody(chunk));
                    while (pipeline.full() || (localSha256 != null && !pipeline.isEmpty())) {
                        receipt = pipeline.nextOk();
                        progress.advanced(receipt.header().path("stored").asLong(), size);
                    }
                } while (localSha256 == null);
            } catch (IOException | TimeoutException | RuntimeException e) {
                pipeline.abandon();
                throw e;
            }
            return checked(receipt, localSha256, from, restarted);
        }
    }

    /** The receipt must say complete, with the SHA-256 of the local file (the server computed its own). */
    private UploadReceipt checked(Message receipt, String localSha256, long from, boolean restarted)
            throws IOException {
        String serverSha256 = receipt.textField("sha256");
        if (!receipt.header().path("complete").asBoolean() || !localSha256.equals(serverSha256)) {
            throw new IOException("the server's receipt for \"" + name + "\" does not match the local file: "
                    + "SHA-256 " + serverSha256 + " (complete: " + receipt.header().path("complete") + "), local "
                    + localSha256);
        }
        return new UploadReceipt(name, receipt.header().path("size").asLong(), serverSha256, from, restarted);
    }

    private static void hashPrefix(FileChannel channel, long length, MessageDigest sha256) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new EOFException("the local file shrank while it was being read");
            }
            sha256.update(buffer.array(), 0, n);
            position += n;
        }
    }

    private static byte[] read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(length);
        while (chunk.hasRemaining()) {
            if (channel.read(chunk, offset + chunk.position()) < 0) {
                throw new EOFException("the local file shrank while it was being sent");
            }
        }
        return chunk.array();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(STATUS_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an earlier upload of the file to end", e);
        }
    }
}
