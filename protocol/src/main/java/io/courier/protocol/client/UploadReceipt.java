package io.courier.protocol.client;

/**
 * The completion receipt of an upload: what the server stored ({@code size}, and the {@code sha256} it computed),
 * where this upload started ({@code resumedFrom}: 0, or the bytes of a partial upload it continued) and whether a
 * resumed partial upload had to be thrown away because it was not this file's beginning.
 */
public record UploadReceipt(String name, long size, String sha256, long resumedFrom, boolean restarted) {
}
