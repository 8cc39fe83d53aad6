/**
 * Files: {@code file.put} (chunked, resumable uploads), {@code file.get}, {@code file.list}, {@code file.status}
 * and {@code file.delete} over one files directory; the store, the registry of uploads in progress and the sweeper
 * of abandoned partial files. Blocking handlers (they touch the disk), so they run on the worker pool. Depends on
 * api only.
 */
package io.courier.server.files;
