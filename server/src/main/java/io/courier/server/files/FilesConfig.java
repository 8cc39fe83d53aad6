package io.courier.server.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where uploaded files live and how much may be stored.
 *
 * @param dir           the one directory every file lives in (created on the first upload)
 * @param maxFileBytes  the largest file ({@code max-file-bytes})
 * @param maxTotalBytes the most bytes all files together may take, partial uploads included
 *                      ({@code max-files-bytes})
 * @param partialMaxAge a partial upload nobody has written to for this long is deleted
 *                      ({@code partial-max-age}); zero keeps partial uploads forever
 */
public record FilesConfig(Path dir, long maxFileBytes, long maxTotalBytes, Duration partialMaxAge) {
    public static final FilesConfig DEFAULTS =
            new FilesConfig(Path.of("files"), 1L << 30, 10L << 30, Duration.ofHours(24));

    /** @throws IllegalArgumentException naming the option and the value */
    public FilesConfig {
        Objects.requireNonNull(dir, "files-dir");
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("max-file-bytes must be 1 or more, got " + maxFileBytes);
        }
        if (maxTotalBytes < 1) {
            throw new IllegalArgumentException("max-files-bytes must be 1 or more, got " + maxTotalBytes);
        }
        if (partialMaxAge == null || partialMaxAge.isNegative()) {
            throw new IllegalArgumentException("partial-max-age must be 0 (keep forever) or more, got "
                    + partialMaxAge);
        }
    }

    public FilesConfig withDir(Path value) {
        return new FilesConfig(value, maxFileBytes, maxTotalBytes, partialMaxAge);
    }

    public FilesConfig withMaxFileBytes(long value) {
        return new FilesConfig(dir, value, maxTotalBytes, partialMaxAge);
    }

    public FilesConfig withMaxTotalBytes(long value) {
        return new FilesConfig(dir, maxFileBytes, value, partialMaxAge);
    }

    public FilesConfig withPartialMaxAge(Duration value) {
        return new FilesConfig(dir, maxFileBytes, maxTotalBytes, value);
    }
}
