package io.lanyard.oauth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets that only this server reads: authorization codes, refresh tokens, session
 * cookies, CSRF tokens. 256 random bits, so the database keeps a plain SHA-256 digest (no salt or
 * slow hash needed against guessing) and a stolen copy of it lets nobody in.
 */
public final class OpaqueTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private OpaqueTokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** Shorter identifiers that are not secrets (a refresh-token family). */
    public static String id() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    public static String digest(String token) {
        return Digests.sha256Base64Url(token);
    }
}
