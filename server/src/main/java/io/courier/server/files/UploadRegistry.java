package io.courier.server.files;

import io.courier.protocol.ErrorCode;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which connection is uploading which name. One connection at a time may write a name; a second one gets
 * {@code conflict} until the first finishes or disconnects. A disconnect does not lose the upload: it becomes
 * abandoned, its partial file stays, and any connection may resume it.
 *
 * <p>Two locks, never held together by the loop: this registry's monitor guards ownership (short, no I/O, also
 * taken by the loop when a connection closes); each {@link Upload}'s monitor guards its partial file and hash,
 * held by the one worker writing it.
 */
public final class UploadRegistry {
    private static final String OWNER_KEY = "courier.files.owner";

    private final Map<String, Upload> uploads = new HashMap<>();
    private final int maxPerConnection;

    /** @param maxPerConnection uploads one connection may own at once ({@code max-uploads-per-connection}) */
    public UploadRegistry(int maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    /** One connection as an uploader; {@code closed} once its session has ended. Guarded by the registry. */
    static final class Owner {
        private final long sessionId;
        private boolean closed;
        /** Uploads this connection owns now. */
        private int owned;

        private Owner(long sessionId) {
            this.sessionId = sessionId;
        }
    }

    /** One name being uploaded. Fields other than {@code owner} are guarded by the upload's own monitor. */
    static final class Upload {
        final String name;
        /** Guarded by the registry. */
        private Owner owner;
        /** Bytes stored in the partial file, or -1 when not known yet (look at the disk). */
        long stored = -1;
        /** SHA-256 of the stored bytes so far; valid when {@code stored >= 0}. */
        MessageDigest digest;
        /** The whole file's SHA-256 as the client announced it (lower-case hex), or null. */
        String expectedSha256;

        private Upload(String name) {
            this.name = name;
        }

        void reset() {
            stored = 0;
            digest = FileStore.newDigest();
            expectedSha256 = null;
        }
    }

    /**
     * Makes {@code session} the uploader of {@code name} and returns the upload (new, its own, or an abandoned one
     * it resumes). Throws {@code conflict} when another open connection is uploading that name.
     */
    Upload claim(String name, Session session) {
        Owner owner = ownerOf(session);
        synchronized (this) {
            if (owner.closed) {
                throw new RequestException(ErrorCode.CONFLICT, "this connection is closing; upload from a new one");
            }
            Upload upload = uploads.computeIfAbsent(name, Upload::new);
            if (upload.owner != null && upload.owner != owner) {
                throw new RequestException(ErrorCode.CONFLICT, "\"" + name + "\" is being uploaded by another "
                        + "connection (#" + upload.owner.sessionId + "); try again when it has finished, or after "
                        + "that connection has closed, to resume where it stopped (see file.status)")
                        .with("name", name);
            }
            if (upload.owner == null) {
                if (owner.owned >= maxPerConnection) {
                    if (upload.stored < 0 && upload.digest == null) {
                        uploads.remove(name, upload); // created just now for this claim: nothing to keep
                    }
                    throw new RequestException(ErrorCode.LIMIT_EXCEEDED, "this connection already has "
                            + owner.owned + " uploads in progress, the most max-uploads-per-connection allows; "
                            + "finish one first").with("limit", "max-uploads-per-connection")
                            .with("max", maxPerConnection);
                }
                owner.owned++;
            }
            upload.owner = owner;
            return upload;
        }
    }

    /** True while {@code session} is still the uploader of {@code upload} (a disconnect or a resume ends that). */
    synchronized boolean owns(Upload upload, Session session) {
        return upload.owner != null && upload.owner.sessionId == session.id() && !upload.owner.closed
                && uploads.get(upload.name) == upload;
    }

    /** The upload is over (complete or discarded): forget it. */
    synchronized void finish(Upload upload) {
        uploads.remove(upload.name, upload);
        release(upload);
    }

    private void release(Upload upload) {
        if (upload.owner != null) {
            upload.owner.owned--;
            upload.owner = null;
        }
    }

    /**
     * The upload of {@code name} if no open connection owns it (created if absent), for deleting or sweeping its
     * partial file; {@code null} when a connection is uploading it now.
     */
    synchronized Upload idle(String name) {
        Upload upload = uploads.computeIfAbsent(name, Upload::new);
        return upload.owner == null ? upload : null;
    }

    /** Forgets an upload nobody owns (after its partial file was deleted). */
    synchronized void forgetIfIdle(Upload upload) {
        if (upload.owner == null) {
            uploads.remove(upload.name, upload);
        }
    }

    /** Whether an open connection is uploading {@code name} now. */
    synchronized boolean uploading(String name) {
        Upload upload = uploads.get(name);
        return upload != null && upload.owner != null;
    }

    /** Names of uploads no connection owns, whose partial files may be swept. */
    synchronized List<String> idleNames() {
        List<String> names = new ArrayList<>();
        uploads.forEach((name, upload) -> {
            if (upload.owner == null) {
                names.add(name);
            }
        });
        return names;
    }

    /** Runs on the event loop when a connection ends: its uploads become abandoned, ready to be resumed. */
    private synchronized void closed(Owner owner) {
        owner.closed = true;
        for (Upload upload : uploads.values()) {
            if (upload.owner == owner) {
                release(upload);
            }
        }
    }

    /** The session's uploader identity, created (and watched for its close) on its first upload. */
    private Owner ownerOf(Session session) {
        // One session's blocking requests run one at a time, so two claims never race to create its owner.
        Owner owner = (Owner) session.attribute(OWNER_KEY);
        if (owner == null) {
            Owner created = new Owner(session.id());
            session.attribute(OWNER_KEY, created);
            session.onClose(() -> closed(created));
            owner = created;
        }
        return owner;
    }
}
