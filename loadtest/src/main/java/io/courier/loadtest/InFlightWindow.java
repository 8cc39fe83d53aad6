package io.courier.loadtest;

/**
 * The requests of one connection that await a reply, by id. Ids are a per-connection sequence 1, 2, 3, ...; the
 * window keeps each outstanding request's start time (send time in a closed loop, intended send time in an open
 * loop) in a ring indexed by id, so matching a reply costs no lookup structure and no boxing.
 *
 * <p>An id below the window, or inside it but already answered, was answered before: a reply to it is a duplicate.
 * An id at or above {@link #nextId()} (or below 1) was never sent. The window spans from the oldest unanswered
 * request to the newest; when a request never gets a reply while {@code maxSpan} later ones are sent, it is
 * {@linkplain #evictOldest() evicted} (the caller counts it lost) so memory stays bounded.
 */
final class InFlightWindow {
    /** What the window knows about an id. */
    enum State { OUTSTANDING, ANSWERED, NEVER_SENT }

    static final int DEFAULT_MAX_SPAN = 1 << 20;
    private static final long DONE = Long.MIN_VALUE;
    private static final int INITIAL_CAPACITY = 8;

    private final int maxSpan;
    private long[] starts = new long[INITIAL_CAPACITY];
    private long base = 1;
    private long next = 1;
    private int outstanding;

    InFlightWindow() {
        this(DEFAULT_MAX_SPAN);
    }

    InFlightWindow(int maxSpan) {
        if (Integer.bitCount(maxSpan) != 1 || maxSpan < INITIAL_CAPACITY) {
            throw new IllegalArgumentException("maxSpan must be a power of two >= " + INITIAL_CAPACITY);
        }
        this.maxSpan = maxSpan;
    }

    /** True when the next {@link #register} needs {@link #evictOldest()} first. */
    boolean isFull() {
        return next - base >= maxSpan;
    }

    /** Records a new request started at {@code startNanos} and returns its id. */
    long register(long startNanos) {
        if (startNanos == DONE) {
            startNanos++; // keep the sentinel free; one nanosecond is below the histogram's precision
        }
        if (next - base >= starts.length) {
            if (isFull()) {
                throw new IllegalStateException("window full: evict the oldest request first");
            }
            grow();
        }
        starts[slot(next)] = startNanos;
        outstanding++;
        return next++;
    }

    State state(long id) {
        if (id < 1 || id >= next) {
            return State.NEVER_SENT;
        }
        if (id < base || starts[slot(id)] == DONE) {
            return State.ANSWERED;
        }
        return State.OUTSTANDING;
    }

    /** Marks an {@linkplain State#OUTSTANDING outstanding} id answered and returns its start time. */
    long complete(long id) {
        if (state(id) != State.OUTSTANDING) {
            throw new IllegalStateException("id " + id + " is not outstanding");
        }
        int slot = slot(id);
        long start = starts[slot];
        starts[slot] = DONE;
        outstanding--;
        while (base < next && starts[slot(base)] == DONE) {
            base++;
        }
        return start;
    }

    /** Gives up on the oldest outstanding request (the caller counts it lost); returns its id, or 0 if none. */
    long evictOldest() {
        if (outstanding == 0) {
            return 0;
        }
        long id = base;
        complete(id);
        return id;
    }

    /** Gives up on every outstanding request and returns how many there were. */
    int abandonAll() {
        int count = outstanding;
        for (long id = base; id < next; id++) {
            starts[slot(id)] = DONE;
        }
        base = next;
        outstanding = 0;
        return count;
    }

    int outstanding() {
        return outstanding;
    }

    /** The id the next request will get. */
    long nextId() {
        return next;
    }

    private int slot(long id) {
        return (int) (id & (starts.length - 1));
    }

    private void grow() {
        long[] grown = new long[starts.length * 2];
        for (long id = base; id < next; id++) {
            grown[(int) (id & (grown.length - 1))] = starts[slot(id)];
        }
        starts = grown;
    }
}
