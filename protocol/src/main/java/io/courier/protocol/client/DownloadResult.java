package io.courier.protocol.client;

/** A finished download: the file's size and modification time on the server, and the SHA-256 of what was read. */
public record DownloadResult(String name, long size, long modifiedMillis, String sha256) {
}
