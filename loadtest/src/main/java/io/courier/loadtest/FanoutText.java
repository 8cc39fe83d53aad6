package io.courier.loadtest;

/**
 * The {@code text} of a fan-out {@code room.say}: {@code "P S T "} (publisher index, its sequence number from 1, and
 * the {@link System#nanoTime()} it was meant to go out at), padded with dots to a fixed size. The load tool hosts
 * publishers and members in one JVM, so a member reads the send time on the same clock and the difference is the
 * delivery latency.
 */
record FanoutText(int publisher, long seq, long sentNanos) {
    /** What {@link #parse} returns for text that is not ours (counted as a mismatch). */
    static final FanoutText MALFORMED = new FanoutText(-1, -1, 0);

    /** The text, padded with '.' to {@code bytes} (longer when the numbers alone take more). */
    String format(int bytes) {
        StringBuilder text = new StringBuilder(Math.max(bytes, 48)).append(publisher).append(' ').append(seq)
                .append(' ').append(sentNanos).append(' ');
        while (text.length() < bytes) {
            text.append('.');
        }
        return text.toString();
    }

    /** Reads a text made by {@link #format}; {@link #MALFORMED} for anything else. */
    static FanoutText parse(String text) {
        if (text == null) {
            return MALFORMED;
        }
        int first = text.indexOf(' ');
        int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : text.indexOf(' ', second + 1);
        if (third < 0) {
            return MALFORMED;
        }
        try {
            int publisher = Integer.parseInt(text, 0, first, 10);
            long seq = Long.parseLong(text, first + 1, second, 10);
            long sent = Long.parseLong(text, second + 1, third, 10);
            return publisher < 0 || seq < 1 ? MALFORMED : new FanoutText(publisher, seq, sent);
        } catch (NumberFormatException e) {
            return MALFORMED;
        }
    }
}
