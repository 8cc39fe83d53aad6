package io.courier.server.files;

import io.courier.server.api.Handler;

import java.util.List;

/** The file.* types over one files directory, sharing its store, its uploads and its sweeper. */
public final class FileHandlers {
    private FileHandlers() {
    }

    /**
     * @param maxChunkBytes the largest chunk {@code file.get} returns (the server's max-body-bytes, so a client
     *                      with the same limits can always read the reply)
     * @param maxUploadsPerConnection uploads one connection may have in progress ({@code limit_exceeded} past it)
     */
    public static List<Handler> create(FilesConfig config, int maxChunkBytes, int maxUploadsPerConnection) {
        FileStore store = new FileStore(config);
        UploadRegistry registry = new UploadRegistry(maxUploadsPerConnection);
        PartialSweeper sweeper = new PartialSweeper(store, registry);
        return List.of(new FilePutHandler(store, registry, sweeper),
                new FileGetHandler(store, registry, sweeper, maxChunkBytes),
                new FileListHandler(store, registry, sweeper), new FileDeleteHandler(store, registry, sweeper),
                new FileStatusHandler(store, registry, sweeper));
    }
}
