package io.lanyard.authorize;

import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.oauth.OpaqueTokens;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device cookies (OWASP's answer to lockout abuse): a browser in which an account logged in
 * carries a signed cookie naming that account. Its attempts at that account are counted apart
 * from everyone else's, so a stranger failing on purpose cannot keep the owner out, while the
 * stranger stays throttled. Signed with a key derived from the KEK, so every replica accepts it
 * and nothing is stored.
 */
@Singleton
public class DeviceCookies {
    static final Duration LIFETIME = Duration.ofDays(90);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final Clock clock;

    public DeviceCookies(KeyEncryptionKey kek, Clock clock) {
        this.key = kek.derive("device cookie");
        this.clock = clock;
    }

    /** {@code v1.<account>.<issued>.<mac>}, issued after a successful login to {@code username}. */
    public String issue(String username) {
        String body = "v1." + B64.encodeToString(normalize(username).getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().getEpochSecond();
        return body + "." + mac(body);
    }

    /**
     * The throttle's id for this device when the cookie is genuine, fresh and names the account
     * being tried; otherwise null (the account's shared counter applies).
     */
    public @Nullable String deviceFor(@Nullable String cookie, String username) {
        if (cookie == null || cookie.length() > 600) {
            return null;
        }
        int lastDot = cookie.lastIndexOf('.');
        if (lastDot < 0) {
            return null;
        }
        String body = cookie.substring(0, lastDot);
        if (!MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
                cookie.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        String[] parts = body.split("\\.");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            return null;
        }
        try {
            String account = new String(B64D.decode(parts[1]), StandardCharsets.UTF_8);
            Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!account.equals(normalize(username)) || issued.plus(LIFETIME).isBefore(clock.instant())) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return OpaqueTokens.digest(cookie).substring(0, 22);
    }

    private static String normalize(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }

    private String mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
