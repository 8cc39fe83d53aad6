package io.courier.server.rooms;

import java.security.SecureRandom;

/** New epochs: random, so a history created anew (a restart, a lost Redis) never reuses an old one's name. */
public final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Epochs() {
    }

    /** Twelve random base-36 characters (62 bits). */
    public static String next() {
        char[] text = new char[12];
        synchronized (RANDOM) {
            for (int i = 0; i < text.length; i++) {
                text[i] = DIGITS[RANDOM.nextInt(DIGITS.length)];
            }
        }
        return new String(text);
    }
}
