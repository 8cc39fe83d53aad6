package io.courier.protocol;

/**
 * The per-message size limits a decoder enforces. A declared length over a limit is refused before any memory is
 * allocated for it.
 *
 * @param maxHeaderBytes largest header (binary) or JSON object (text), in bytes
 * @param maxBodyBytes   largest binary body, in bytes
 */
public record Limits(int maxHeaderBytes, int maxBodyBytes) {
    /** A header length must keep the first byte of a frame 0x00, so it stays below 16 MiB. */
    public static final int ABSOLUTE_MAX_HEADER_BYTES = (1 << 24) - 1;
    public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);

    public Limits {
        if (maxHeaderBytes < 2 || maxHeaderBytes > ABSOLUTE_MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("max-header-bytes must be 2.." + ABSOLUTE_MAX_HEADER_BYTES
                    + ", got " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("max-body-bytes must be 0 or more, got " + maxBodyBytes);
        }
    }
}
