package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A published key, with its signer when this replica could open the private key. */
public record SigningKey(
        String kid,
        JWSAlgorithm alg,
        JWK publicJwk,
        Instant createdAt,
        Instant activatesAt,
        @Nullable JWSSigner signer) {

    public boolean canSign() {
        return signer != null;
    }
}
