package io.lanyard.keys;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A signing key as the database holds it: the private key sealed under the key-encryption key. */
public record StoredKey(
        String kid,
        String alg,
        String publicJwk,
        @Nullable byte[] privateKeyEnc,
        String kekId,
        Instant createdAt,
        Instant activatesAt,
        @Nullable Instant removedAt) {
}
