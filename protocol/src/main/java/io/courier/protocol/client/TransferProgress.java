package io.courier.protocol.client;

/**
 * Told how a file transfer advances, on the thread that runs the transfer. Byte counts are what the server has
 * confirmed (uploads) or what has been written locally (downloads).
 */
public interface TransferProgress {
    /** Does nothing. */
    TransferProgress NONE = (done, total) -> { };

    /**
     * The transfer (re)starts at {@code from} of {@code total} bytes: {@code from > 0} when an upload resumes a
     * partial upload the server kept. Called again with 0 if that partial upload turned out not to be this file's.
     */
    default void started(long from, long total) {
    }

    /** {@code done} of {@code total} bytes are through. */
    void advanced(long done, long total);
}
