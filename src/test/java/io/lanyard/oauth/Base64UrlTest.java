package io.lanyard.oauth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One value, one spelling: RFC 7515 section 2 base64url, no padding, no stray bits. */
class Base64UrlTest {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Test
    void whatTheEncoderWritesIsCanonical() {
        SecureRandom random = new SecureRandom();
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = ENCODER.encodeToString(bytes);
            assertTrue(Base64Url.isCanonical(encoded, 0, encoded.length()), encoded);
        }
    }

    @Test
    void paddingOtherAlphabetsAndStrayBitsAreNot() {
        String two = ENCODER.encodeToString("a".getBytes(StandardCharsets.US_ASCII));      // "YQ"
        String three = ENCODER.encodeToString("ab".getBytes(StandardCharsets.US_ASCII));   // "YWI"
        assertFalse(Base64Url.isCanonicalCompact(two + "=="));
        assertFalse(Base64Url.isCanonicalCompact(three + "="));
        assertFalse(Base64Url.isCanonicalCompact("YR"), "YR decodes to 'a' as YQ does: the low bits are not zero");
        assertFalse(Base64Url.isCanonicalCompact("YWJ"), "YWJ decodes to 'ab' as YWI does");
        assertFalse(Base64Url.isCanonicalCompact("ab+/"), "the base64 alphabet, not base64url");
        assertFalse(Base64Url.isCanonicalCompact("abcde"), "a length of 4n+1 encodes nothing");
        assertFalse(Base64Url.isCanonicalCompact("ab cd"));
        assertTrue(Base64Url.isCanonicalCompact(two + "." + three + "." + "abcd"));
        assertFalse(Base64Url.isCanonicalCompact(two + "." + three + "=." + "abcd"));
        assertTrue(Base64Url.isCanonicalCompact(two + ".." + three), "an empty segment (a detached payload) is canonical");
    }
}
