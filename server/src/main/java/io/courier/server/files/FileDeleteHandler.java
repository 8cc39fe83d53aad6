package io.courier.server.files;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.io.IOException;

/**
 * {@code file.delete}: removes a complete file, and the partial upload of that name unless a connection is
 * uploading it right now.
 */
final class FileDeleteHandler extends FileHandler {
    FileDeleteHandler(FileStore store, UploadRegistry registry, PartialSweeper sweeper) {
        super("file.delete", "Deletes a file (name), and an abandoned partial upload of that name.",
                store, registry, sweeper);
    }

    @Override
    public Message handle(Message request, Session session) throws IOException {
        String name = FileNames.require(request);
        long size = store.delete(name);
        long partial = -1;
        UploadRegistry.Upload upload = registry.idle(name);
        if (upload != null) {
            synchronized (upload) {
                partial = store.partialSize(name);
                if (partial >= 0) {
                    store.discardPartial(name);
                }
                upload.reset();
            }
            registry.forgetIfIdle(upload);
        }
        if (size < 0 && partial < 0) {
            throw new RequestException(ErrorCode.NOT_FOUND, "there is no file \"" + name + "\" to delete")
                    .with("name", name);
        }
        return Message.replyTo(request).with("name", name).with("size", Math.max(0, size))
                .with("partial_bytes", Math.max(0, partial));
    }
}
