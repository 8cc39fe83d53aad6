package io.courier.server.files;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.io.IOException;

/** {@code file.get}: one chunk of a complete file; the body is the bytes, {@code last} says whether more follow. */
final class FileGetHandler extends FileHandler {
    /** Chunk size when the request gives no {@code length}. */
    static final int DEFAULT_LENGTH = 1 << 20;
    private final int maxLength;

    FileGetHandler(FileStore store, UploadRegistry registry, PartialSweeper sweeper, int maxLength) {
        super("file.get",
                "Reads a chunk of a file (name, offset, length); the body is the bytes, with size and last.",
                store, registry, sweeper);
        this.maxLength = maxLength;
    }

    @Override
    public Message handle(Message request, Session session) throws IOException {
        String name = FileNames.require(request);
        long offset = Fields.wholeNumber(request, "offset", 0, 0);
        long length = Math.min(Fields.wholeNumber(request, "length", 0, DEFAULT_LENGTH), maxLength);
        FileStore.FileInfo info = store.info(name);
        if (info == null) {
            throw new RequestException(ErrorCode.NOT_FOUND, "there is no file \"" + name + "\"; file.list shows "
                    + "the files there are").with("name", name);
        }
        if (offset > info.size()) {
            throw RequestException.badRequest("offset " + offset + " is past the end of \"" + name + "\", which is "
                    + info.size() + " bytes long").with("name", name).with("size", info.size());
        }
        // The size read with the bytes: the file may have been replaced since info() (never half of it, though).
        FileStore.Chunk chunk = store.read(name, offset, (int) length);
        if (chunk == null) {
            throw new RequestException(ErrorCode.NOT_FOUND, "\"" + name + "\" was deleted just now")
                    .with("name", name);
        }
        byte[] bytes = chunk.bytes();
        return Message.replyTo(request).with("name", name).with("offset", offset).with("length", bytes.length)
                .with("size", chunk.fileSize()).with("last", offset + bytes.length >= chunk.fileSize())
                .with("modified", info.modifiedMillis()).withBody(bytes);
    }
}
