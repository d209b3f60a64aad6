package io.lanyard.authorize;

import io.lanyard.oauth.OpaqueTokens;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Double-submit CSRF tokens for forms shown before anyone is logged in: a random value in a
 * SameSite=Strict, HttpOnly cookie and the same value in the form. Another site can make a
 * browser post the form but can neither read nor set the cookie.
 */
public final class Csrf {
    private Csrf() {
    }

    /** The browser's current token when it has a well-formed one (several tabs share it), else a new one. */
    public static String tokenFor(@Nullable String cookie) {
        return wellFormed(cookie) ? cookie : OpaqueTokens.generate();
    }

    public static boolean matches(@Nullable String cookie, @Nullable String form) {
        return wellFormed(cookie) && form != null
                && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII), form.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean wellFormed(@Nullable String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(ch -> Character.isLetterOrDigit(ch)
                || ch == '-' || ch == '_');
    }
}
