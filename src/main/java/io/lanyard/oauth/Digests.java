package io.lanyard.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256, the one digest the protocols here use to store or compare secrets by value (codes,
 * refresh tokens, session cookies, client secrets). Every JDK has it, so its absence is a broken
 * runtime, not an error to handle.
 */
public final class Digests {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    public static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** base64url without padding of the SHA-256 of the UTF-8 text. */
    public static String sha256Base64Url(String text) {
        return B64.encodeToString(sha256(text));
    }
}
