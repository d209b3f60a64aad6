package io.lanyard.clients;

import io.lanyard.oauth.Digests;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client secrets. Generated ones carry 256 bits from a CSPRNG, so one SHA-256 is as strong as a
 * slow hash and verifying costs about a microsecond; the digest is compared in constant time.
 * Digest format: {@code sha256:} and the unpadded base64url of SHA-256 over the UTF-8 secret.
 */
public final class ClientSecrets {
    public static final String PREFIX = "sha256:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** Compared against when the client is unknown, so both paths do the same work. */
    private static final byte[] DECOY = sha256("decoy");

    private ClientSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    public static String digest(String secret) {
        return PREFIX + B64.encodeToString(sha256(secret));
    }

    /** The digest of the empty string: never a valid stored secret. */
    public static final String EMPTY_DIGEST = PREFIX + B64.encodeToString(sha256(""));

    public static boolean isDigest(String value) {
        if (value == null || !value.startsWith(PREFIX) || value.equals(EMPTY_DIGEST)) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(value.substring(PREFIX.length())).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean matches(String presented, String storedDigest) {
        byte[] expected = storedDigest == null || !isDigest(storedDigest)
                ? DECOY
                : Base64.getUrlDecoder().decode(storedDigest.substring(PREFIX.length()));
        boolean equal = MessageDigest.isEqual(sha256(presented), expected);
        return equal && expected != DECOY;
    }

    /** Burns the same time as a real check, for unknown clients. */
    public static void decoyCheck(String presented) {
        MessageDigest.isEqual(sha256(presented), DECOY);
    }

    private static byte[] sha256(String value) {
        return Digests.sha256(value);
    }
}
