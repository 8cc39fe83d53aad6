package io.courier.server.files;

import io.courier.server.api.Handler;

/**
 * What every file.* handler shares: its type and description, the files directory's store, uploads and sweeper,
 * and that it blocks (disk I/O never runs on the event loop).
 */
abstract class FileHandler implements Handler {
    final FileStore store;
    final UploadRegistry registry;
    final PartialSweeper sweeper;
    private final String type;
    private final String description;

    FileHandler(String type, String description, FileStore store, UploadRegistry registry, PartialSweeper sweeper) {
        this.type = type;
        this.description = description;
        this.store = store;
        this.registry = registry;
        this.sweeper = sweeper;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean blocking() {
        return true;
    }
}
