package io.courier.protocol;

/**
 * A message's hold on a body that arrived in a pooled buffer ({@link PooledBody}): it copies the bytes into an
 * array when someone reads them, lends the buffer to encoders on the pool's thread, and lets go of it when the
 * server says the handler returned. Its lock makes a read on another thread safe against the loop letting go
 * (the bytes are copied before the buffer can be reused); counting holders stays on the loop.
 */
final class HeldBody {
    private final int length;
    /** The pool's buffer, until copied into {@link #bytes} or let go of. */
    private PooledBody pooled;
    private byte[] bytes;
    /** An encoder handed {@link #pooled} itself to its sink (no copy). */
    private boolean sent;

    HeldBody(PooledBody pooled) {
        this.pooled = pooled;
        this.length = pooled.length();
    }

    int length() {
        return length;
    }

    /**
     * The bytes as an array, copied on the first call; on the loop the buffer goes back at once. Null once the
     * buffer was let go of without a copy (the message went out as its own reply).
     */
    synchronized byte[] bytes() {
        if (bytes == null) {
            if (pooled == null) {
                return null;
            }
            bytes = pooled.copy();
        }
        if (pooled != null && pooled.ownedByCaller()) {
            pooled.release();
            pooled = null;
        }
        return bytes;
    }

    /** The buffer for an encoder on the pool's thread, or null (copied already, or another thread). */
    synchronized PooledBody forEncoder() {
        return pooled != null && pooled.ownedByCaller() ? pooled : null;
    }

    synchronized void sending() {
        sent = true;
    }

    /**
     * Lets go of the buffer (on the pool's thread; elsewhere nothing happens). Unless the message went out by
     * reference as its own reply, its bytes are copied first: whoever kept the message can still read them.
     */
    synchronized void release(boolean ownReply) {
        if (pooled == null || !pooled.ownedByCaller()) {
            return;
        }
        if (bytes == null && !(ownReply && sent)) {
            bytes = pooled.copy();
        }
        pooled.release();
        pooled = null;
    }
}
