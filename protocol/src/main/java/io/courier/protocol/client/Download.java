package io.courier.protocol.client;

import io.courier.protocol.Message;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** One download of {@link RemoteFiles#download}: the first chunk tells the size, the rest are pipelined. */
final class Download {
    private final RemoteFiles files;
    private final String name;
    private final TransferProgress progress;
    private final MessageDigest sha256 = Upload.sha256();
    private Message first;
    private long written;
    private long size;
    private long modified;

    Download(RemoteFiles files, String name, TransferProgress progress) {
        this.files = files;
        this.name = name;
        this.progress = progress == null ? TransferProgress.NONE : progress;
    }

    static DownloadResult toFile(RemoteFiles files, String name, Path target, TransferProgress progress)
            throws IOException, TimeoutException {
        Download download = new Download(files, name, progress);
        download.begin(); // before any local file exists: a refusal (not_found, a bad name) leaves nothing behind
        Path directory = target.toAbsolutePath().getParent();
        // Not Files.createTempFile: its file is private (0600), and the download would keep that mode. A name of
        // its own (CREATE_NEW) keeps two downloads to one target apart.
        Path temporary = directory.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".part");
        boolean moved = false;
        try {
            DownloadResult result;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024)) {
                result = download.finish(out);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return result;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    DownloadResult run(OutputStream out) throws IOException, TimeoutException {
        begin();
        return finish(out);
    }

    /** The first chunk, which tells the size and the modification time that every later chunk must share. */
    private void begin() throws IOException, TimeoutException {
        first = files.client.callOk(get(0), files.timeout);
        size = first.header().path("size").asLong();
        modified = first.header().path("modified").asLong();
        progress.started(0, size);
    }

    private DownloadResult finish(OutputStream out) throws IOException, TimeoutException {
        write(first, out);
        first = null;
        Pipeline pipeline = new Pipeline(files.client, files.window, files.timeout);
        try {
            long next = written;
            while (next < size || !pipeline.isEmpty()) {
                while (next < size && !pipeline.full()) {
                    pipeline.send(get(next));
                    next += files.chunkBytes;
                }
                write(pipeline.nextOk(), out);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            pipeline.abandon();
            throw e;
        }
        if (written != size) {
            throw new IOException("received " + written + " bytes of \"" + name + "\" but the server says it has "
                    + size);
        }
        out.flush();
        return new DownloadResult(name, size, modified, HexFormat.of().formatHex(sha256.digest()));
    }

    private Message get(long offset) {
        return Message.of("file.get").with("name", name).with("offset", offset).with("length", files.chunkBytes);
    }

    private void write(Message chunk, OutputStream out) throws IOException {
        long offset = chunk.header().path("offset").asLong();
        long chunkSize = chunk.header().path("size").asLong();
        if (chunkSize != size || chunk.header().path("modified").asLong() != modified) {
            throw new IOException("\"" + name + "\" changed on the server while it was being downloaded (now "
                    + chunkSize + " bytes); download it again");
        }
        if (offset != written) {
            throw new IOException("the server sent bytes of \"" + name + "\" from offset " + offset + " where "
                    + written + " was due");
        }
        byte[] bytes = chunk.body();
        boolean last = offset + bytes.length >= size;
        if (bytes.length < files.chunkBytes && !last) {
            throw new IOException("the server sent " + bytes.length + " bytes where " + files.chunkBytes
                    + " were asked for: its max-body-bytes is smaller than the chunk size; use a smaller one");
        }
        out.write(bytes);
        sha256.update(bytes);
        written += bytes.length;
        progress.advanced(written, size);
    }
}
