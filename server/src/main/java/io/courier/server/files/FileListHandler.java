package io.courier.server.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.api.Session;

import java.io.IOException;

/** {@code file.list}: every complete file with its size and modification time, and the storage limits. */
final class FileListHandler extends FileHandler {
    FileListHandler(FileStore store, UploadRegistry registry, PartialSweeper sweeper) {
        super("file.list", "Lists the stored files (name, size, modified) and the storage limits.",
                store, registry, sweeper);
    }

    @Override
    public Message handle(Message request, Session session) throws IOException {
        sweeper.sweepIfDue();
        ArrayNode files = Json.NODES.arrayNode();
        for (FileStore.FileInfo info : store.list()) {
            files.addObject().put("name", info.name()).put("size", info.size())
                    .put("modified", info.modifiedMillis());
        }
        return Message.replyTo(request).with("files", files).with("used_bytes", store.usedBytes())
                .with("max_file_bytes", store.config().maxFileBytes())
                .with("max_files_bytes", store.config().maxTotalBytes());
    }
}
