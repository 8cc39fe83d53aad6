package io.courier.loadtest;

/**
 * The error kinds of a run, as in the JSON report's {@code errors} object.
 *
 * @param lost            requests with no reply by the end plus the grace period, or in flight on a connection
 *                        that closed, or due but never sent (open loop, socket full to the end)
 * @param duplicated      second replies to an id already answered
 * @param mismatched      replies with wrong contents, an unknown id, or bytes that would not decode
 * @param errorReplies    replies with {@code ok:false}
 * @param connectFailures connects refused, timed out or impossible (no socket, no source port)
 * @param disconnects     connections the server (or the network) closed while the client still used them
 */
public record ErrorCounts(long lost, long duplicated, long mismatched, long errorReplies, long connectFailures,
                          long disconnects) {

    public long total() {
        return lost + duplicated + mismatched + errorReplies + connectFailures + disconnects;
    }
}
