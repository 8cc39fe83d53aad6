package io.courier.protocol;

/**
 * Follows the spelling of one number or literal (true, false, null) byte by byte, for {@link JsonValueScanner}: so
 * that {@code [tru} or {@code [01} is refused when its bad byte arrives, as a string's bad byte is, not only when
 * the brackets around it close. Numbers follow RFC 8259: an optional minus, 0 or digits not starting with 0, an
 * optional fraction, an optional exponent. Their range is Jackson's to check, when it builds the tree.
 */
final class JsonTokenSpelling {
    // Where a number stands; the *_END states may end it.
    private static final int MINUS = 1;
    private static final int ZERO_END = 2;
    private static final int DIGITS_END = 3;
    private static final int POINT = 4;
    private static final int FRACTION_END = 5;
    private static final int EXPONENT = 6;
    private static final int EXPONENT_SIGN = 7;
    private static final int EXPONENT_DIGITS_END = 8;

    /** The literal being spelt, or null for a number. */
    private String literal;
    /** Characters of the literal spelt so far. */
    private int spelt;
    private int number;

    /** Starts a token at {@code b}; false when no number or literal starts with it. */
    boolean start(byte b) {
        literal = b == 't' ? "true" : b == 'f' ? "false" : b == 'n' ? "null" : null;
        spelt = 1;
        number = b == '-' ? MINUS : b == '0' ? ZERO_END : isDigit(b) ? DIGITS_END : 0;
        return literal != null || number != 0;
    }

    /** Takes the token's next byte; false when the token cannot go on with it. */
    boolean next(byte b) {
        if (literal != null) {
            return spelt < literal.length() && b == literal.charAt(spelt++);
        }
        number = after(number, b);
        return number != 0;
    }

    /** The number state after {@code b}, or 0 when a number cannot go on with it. */
    private static int after(int state, byte b) {
        boolean digit = isDigit(b);
        boolean exponent = b == 'e' || b == 'E';
        switch (state) {
            case MINUS:
                return b == '0' ? ZERO_END : digit ? DIGITS_END : 0;
            case ZERO_END:
                return b == '.' ? POINT : exponent ? EXPONENT : 0;
            case DIGITS_END:
                return digit ? DIGITS_END : b == '.' ? POINT : exponent ? EXPONENT : 0;
            case POINT:
            case FRACTION_END:
                return digit ? FRACTION_END : exponent && state == FRACTION_END ? EXPONENT : 0;
            case EXPONENT:
                return b == '+' || b == '-' ? EXPONENT_SIGN : digit ? EXPONENT_DIGITS_END : 0;
            default: // EXPONENT_SIGN, EXPONENT_DIGITS_END
                return digit ? EXPONENT_DIGITS_END : 0;
        }
    }

    /** Whether the token may end here. */
    boolean complete() {
        return literal != null ? spelt == literal.length()
                : number == ZERO_END || number == DIGITS_END || number == FRACTION_END || number == EXPONENT_DIGITS_END;
    }

    /** What the token is, for an error message. */
    String describe() {
        return literal != null ? "the literal " + literal : "a number";
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
