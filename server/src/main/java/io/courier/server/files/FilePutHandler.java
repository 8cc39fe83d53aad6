package io.courier.server.files;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code file.put}: one chunk of an upload. Chunks are appended at {@code offset}, which must be exactly what is
 * stored so far (0 starts over); the file appears under its name, atomically, only when the chunk marked
 * {@code last} has arrived and the SHA-256 matched the client's, if it sent one. A disconnect leaves the partial
 * upload on disk; any connection can resume it at the stored offset (see {@code file.status}).
 */
final class FilePutHandler extends FileHandler {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    FilePutHandler(FileStore store, UploadRegistry registry, PartialSweeper sweeper) {
        super("file.put",
                "Uploads one chunk (name, offset, last, optional sha256; body = bytes); the last chunk's reply is the "
                + "receipt with size and sha256.",
                store, registry, sweeper);
    }

    @Override
    public Message handle(Message request, Session session) throws IOException {
        String name = FileNames.require(request);
        long offset = Fields.wholeNumber(request, "offset", 0, 0);
        boolean last = Fields.bool(request, "last", false);
        String sha256 = sha256(request);
        byte[] chunk = request.body();
        if (!session.isConnection()) {
            // Each datagram is a session of its own that never closes: it could never hand the upload on.
            throw RequestException.badRequest("file.put needs a connection (TCP or a Unix socket); over UDP an "
                    + "upload could not be resumed or released");
        }
        if (offset == 0) {
            sweeper.sweepIfDue();
        }
        UploadRegistry.Upload upload = registry.claim(name, session);
        synchronized (upload) {
            if (!registry.owns(upload, session)) {
                // Between the claim and now this connection closed and another one resumed the upload.
                throw new RequestException(ErrorCode.CONFLICT, "\"" + name + "\" is now being uploaded by another "
                        + "connection").with("name", name);
            }
            syncWithDisk(upload);
            if (offset == 0 && upload.stored > 0) {
                store.discardPartial(name); // offset 0 starts the upload over
                upload.reset();
            }
            if (offset != upload.stored) {
                throw RequestException.badRequest("offset " + offset + " does not continue the upload of \"" + name
                        + "\": " + upload.stored + " bytes are stored, so the next chunk must have offset "
                        + upload.stored + " (or 0 to start over)")
                        .with("name", name).with("expected_offset", upload.stored);
            }
            append(upload, offset, chunk);
            if (sha256 != null) {
                upload.expectedSha256 = sha256;
            }
            if (!last) {
                return Message.replyTo(request).with("name", name).with("stored", upload.stored)
                        .with("complete", false);
            }
            return complete(request, upload);
        }
    }

    /** Learns what is stored when the upload is new to this server run or its partial file changed behind it. */
    private void syncWithDisk(UploadRegistry.Upload upload) throws IOException {
        long onDisk = Math.max(0, store.partialSize(upload.name));
        if (upload.stored != onDisk || upload.digest == null) {
            upload.digest = store.hashPartial(upload.name);
            upload.stored = onDisk;
        }
    }

    private void append(UploadRegistry.Upload upload, long offset, byte[] chunk) throws IOException {
        long maxFile = store.config().maxFileBytes();
        if (offset + chunk.length > maxFile) {
            throw new RequestException(ErrorCode.LIMIT_EXCEEDED, "this chunk would make \"" + upload.name + "\" "
                    + (offset + chunk.length) + " bytes long, over the server's max-file-bytes of " + maxFile
                    + "; nothing of this chunk was stored")
                    .with("limit", "max-file-bytes").with("max", maxFile).with("stored", offset);
        }
        if (!store.reserve(chunk.length)) {
            long maxTotal = store.config().maxTotalBytes();
            throw new RequestException(ErrorCode.LIMIT_EXCEEDED, "the server has no room for this chunk of "
                    + chunk.length + " bytes: stored files already take " + store.usedBytes() + " of max-files-bytes "
                    + maxTotal + "; delete files (file.delete) or resume later at offset " + offset)
                    .with("limit", "max-files-bytes").with("max", maxTotal).with("stored", offset);
        }
        try {
            store.writePartial(upload.name, offset, chunk);
        } catch (IOException | RuntimeException e) {
            store.release(chunk.length);
            upload.stored = -1; // unknown now: look at the disk next time
            throw e;
        }
        upload.digest.update(chunk);
        upload.stored += chunk.length;
    }

    /** The last chunk is in: check the hash, then rename the partial file to the name in one atomic step. */
    private Message complete(Message request, UploadRegistry.Upload upload) throws IOException {
        String actual = HexFormat.of().formatHex(upload.digest.digest());
        long size = upload.stored;
        String expected = upload.expectedSha256;
        if (expected != null && !expected.equals(actual)) {
            store.discardPartial(upload.name);
            upload.reset();
            registry.finish(upload);
            throw new RequestException(ErrorCode.CHECKSUM_MISMATCH, "the " + size + " bytes received for \""
                    + upload.name + "\" have SHA-256 " + actual + ", not the " + expected + " you sent; the file "
                    + "was not kept, upload it again from offset 0")
                    .with("name", upload.name).with("expected", expected).with("actual", actual).with("size", size);
        }
        store.commit(upload.name);
        upload.reset();
        registry.finish(upload);
        return Message.replyTo(request).with("name", upload.name).with("stored", size).with("complete", true)
                .with("size", size).with("sha256", actual);
    }

    private static String sha256(Message request) {
        if (!request.header().hasNonNull("sha256")) {
            return null;
        }
        String value = Fields.string(request, "sha256");
        if (!SHA256_HEX.matcher(value).matches()) {
            throw RequestException.badRequest("\"sha256\" must be the file's SHA-256 as 64 hexadecimal digits, got "
                    + value.length() + " characters");
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
