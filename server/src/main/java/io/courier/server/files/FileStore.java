package io.courier.server.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files directory on disk: complete files under their own names, partial uploads beside them as
 * {@code .NAME.part}, so that finishing an upload is one atomic rename in the same directory. Keeps the running
 * total of bytes stored (complete and partial) for {@code max-files-bytes}; it counts what this server wrote, so
 * files added behind its back are only seen at the next start.
 *
 * <p>Symbolic links in the directory are not followed: they are neither listed nor read, so a link cannot lead a
 * client outside the directory.
 *
 * <p>Called from worker threads only (every file handler is blocking). Names must have passed {@link FileNames}.
 */
public final class FileStore {
    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final String PARTIAL_PREFIX = ".";
    private static final String PARTIAL_SUFFIX = ".part";

    private final FilesConfig config;
    private final Path dir;
    /** Guards {@link #usedBytes} and serialises replacing and deleting complete files. */
    private final Object lock = new Object();
    private long usedBytes = -1;

    public FileStore(FilesConfig config) {
        this.config = config;
        this.dir = config.dir().toAbsolutePath().normalize();
    }

    /** What {@code file.list} shows of one complete file. */
    public record FileInfo(String name, long size, long modifiedMillis) {
    }

    /** Bytes read from a file, and the file's size at that moment. */
    public record Chunk(byte[] bytes, long fileSize) {
    }

    public FilesConfig config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path partial(String name) {
        return dir.resolve(PARTIAL_PREFIX + name + PARTIAL_SUFFIX);
    }

    /** The complete file's size and time, or {@code null} when there is none. */
    public FileInfo info(String name) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file(name), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile()
                    ? new FileInfo(name, attributes.size(), attributes.lastModifiedTime().toMillis()) : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Every complete file, sorted by name; partial uploads and hidden files are not listed. */
    public List<FileInfo> list() throws IOException {
        List<FileInfo> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        files.add(new FileInfo(name, attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while we listed
                }
            }
        }
        files.sort(Comparator.comparing(FileInfo::name));
        return files;
    }

    /** Up to {@code length} bytes of the complete file from {@code offset}; {@code null} when there is no file. */
    public Chunk read(String name, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file(name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            int n = (int) Math.max(0, Math.min(length, size - offset));
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break; // shrunk while we read: return what there is
                }
            }
            byte[] bytes = buffer.array();
            return new Chunk(buffer.position() == n ? bytes : java.util.Arrays.copyOf(bytes, buffer.position()), size);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes the complete file; returns its size, or -1 when there was none. */
    public long delete(String name) throws IOException {
        synchronized (lock) {
            usedBytes(); // counted before the directory changes
            FileInfo info = info(name);
            if (info == null || !Files.deleteIfExists(file(name))) {
                return -1;
            }
            release(info.size());
            return info.size();
        }
    }

    /** The bytes of {@code name}'s partial upload on disk, or -1 when there is none. */
    long partialSize(String name) throws IOException {
        try {
            return Files.size(partial(name));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** The SHA-256 state of the partial upload's bytes, to continue hashing where it stopped. */
    MessageDigest hashPartial(String name) throws IOException {
        MessageDigest digest = newDigest();
        try (FileChannel channel = FileChannel.open(partial(name), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (NoSuchFileException e) {
            // nothing stored yet: the digest of no bytes
        }
        return digest;
    }

    /** Writes a chunk of the partial upload at {@code offset} (which the caller checked is its current size). */
    void writePartial(String name, long offset, byte[] chunk) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(partial(name), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    /** Deletes the partial upload (a restart from offset 0, a checksum mismatch, a sweep) and its bytes' count. */
    void discardPartial(String name) throws IOException {
        synchronized (lock) {
            usedBytes();
            long size = partialSize(name);
            if (size >= 0 && Files.deleteIfExists(partial(name))) {
                release(size);
            }
        }
    }

    /**
     * Makes the partial upload the complete file: flushed to disk, then renamed over any older file of that name
     * in one atomic step, so readers see the old file or the new one, never half of one.
     */
    void commit(String name) throws IOException {
        Path partial = partial(name);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        synchronized (lock) {
            usedBytes();
            FileInfo replaced = info(name);
            Files.move(partial, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (replaced != null) {
                release(replaced.size());
            }
        }
        syncDirectory();
    }

    /** Counts {@code bytes} more as stored if that stays within max-files-bytes. */
    boolean reserve(long bytes) throws IOException {
        synchronized (lock) {
            long used = usedBytes();
            if (used + bytes > config.maxTotalBytes()) {
                return false;
            }
            usedBytes = used + bytes;
            return true;
        }
    }

    void release(long bytes) throws IOException {
        synchronized (lock) {
            usedBytes = Math.max(0, usedBytes() - bytes);
        }
    }

    /** Bytes stored now, complete files and partial uploads; the directory is summed once, on first use. */
    public long usedBytes() throws IOException {
        synchronized (lock) {
            if (usedBytes < 0) {
                long total = 0;
                if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                        for (Path entry : entries) {
                            if (Files.isRegularFile(entry)) {
                                total += Files.size(entry);
                            }
                        }
                    }
                }
                usedBytes = total;
            }
            return usedBytes;
        }
    }

    /** The names whose partial uploads were last written before {@code cutoffMillis}. */
    List<String> stalePartials(long cutoffMillis) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PARTIAL_PREFIX + "*" + PARTIAL_SUFFIX)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (file.length() <= PARTIAL_PREFIX.length() + PARTIAL_SUFFIX.length()) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(entry).toMillis() < cutoffMillis) {
                        names.add(file.substring(PARTIAL_PREFIX.length(), file.length() - PARTIAL_SUFFIX.length()));
                    }
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
        return names;
    }

    /** Whether the partial upload was last written before {@code cutoffMillis}. */
    boolean partialOlderThan(String name, long cutoffMillis) throws IOException {
        try {
            return Files.getLastModifiedTime(partial(name)).toMillis() < cutoffMillis;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Makes the rename durable where the platform allows it (Linux does; some do not, which is fine). */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.trace("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
