package io.lanyard.token;

import io.micronaut.core.annotation.Nullable;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * RFC 8628 6.1 user codes: 8 letters from 20 consonants (no vowels, so no words; no I, O or U to
 * confuse with digits or V), about 34.6 bits, shown as {@code XXXX-XXXX} and read back however the
 * person typed it: any case, with or without the dash or spaces.
 */
public final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {
    }

    /** A new code in its stored form: eight letters, no dash. */
    static String generate() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** How a person sees it. */
    public static String display(String stored) {
        return stored.substring(0, 4) + "-" + stored.substring(4);
    }

    /** The stored form of what a person typed, or null when it cannot be a user code of ours. */
    public static @Nullable String normalize(@Nullable String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (ch == '-' || ch == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(ch) < 0) {
                return null;
            }
            code.append(ch);
        }
        return code.length() == LENGTH ? code.toString() : null;
    }
}
