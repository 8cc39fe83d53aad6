package io.courier.server.files;

import io.courier.protocol.Message;
import io.courier.server.api.Session;

import java.io.IOException;

/**
 * {@code file.status}: how far an upload of a name has got ({@code stored}: where to resume), whether a connection
 * is uploading it now, and the complete file of that name, if there is one.
 */
final class FileStatusHandler extends FileHandler {
    FileStatusHandler(FileStore store, UploadRegistry registry, PartialSweeper sweeper) {
        super("file.status",
                "Tells how many bytes of an upload are stored (where to resume) and whether the file exists.",
                store, registry, sweeper);
    }

    @Override
    public Message handle(Message request, Session session) throws IOException {
        String name = FileNames.require(request);
        Message reply = Message.replyTo(request).with("name", name)
                .with("stored", Math.max(0, store.partialSize(name)))
                .with("uploading", registry.uploading(name));
        FileStore.FileInfo info = store.info(name);
        reply.with("exists", info != null);
        if (info != null) {
            reply.with("size", info.size()).with("modified", info.modifiedMillis());
        }
        return reply;
    }
}
