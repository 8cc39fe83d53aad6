package io.courier.protocol;

/**
 * Non-negative numbers spelled in ASCII decimal straight into a byte array, without a String: two digits per
 * division from a table of the pairs, as the JDK's own {@code Long.toString}, long arithmetic only for the digits
 * above int range (a time in milliseconds has a few), int arithmetic for the rest. A ping's clock was 12% of the
 * loop's Java time spelled one digit at a time.
 */
final class DecimalDigits {
    /** "00" to "99", each pair's two ASCII digits at twice its value. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private DecimalDigits() {
    }

    /** How many digits {@code value} (not negative) has. */
    static int count(long value) {
        int count = 1;
        for (long bound = 10; count < 19 && value >= bound; bound *= 10) {
            count++;
        }
        return count;
    }

    /** Writes the {@link #count} digits of {@code value} (not negative), the last just before {@code end}. */
    static void write(long value, byte[] into, int end) {
        int at = end; // writing leftwards from the end
        for (; value > Integer.MAX_VALUE; value /= 100) {
            at = pair((int) (value % 100), into, at);
        }
        int rest = (int) value;
        for (; rest >= 100; rest /= 100) {
            at = pair(rest % 100, into, at);
        }
        if (rest >= 10) {
            pair(rest, into, at);
        } else {
            into[at - 1] = (byte) ('0' + rest);
        }
    }

    /** Writes the two digits of {@code pair} (0-99) just before {@code end}; returns where they start. */
    private static int pair(int pair, byte[] into, int end) {
        into[end - 2] = PAIRS[2 * pair];
        into[end - 1] = PAIRS[2 * pair + 1];
        return end - 2;
    }
}
