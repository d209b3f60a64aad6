package io.lanyard.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.keys.SigningKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-thread verifier keeps state between calls, so a refused signature must leave it clean:
 * a malformed ES256 signature must not make the next genuine one fail on the same thread.
 */
class OwnSignaturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "auto"})
    void aMalformedSignatureDoesNotSpoilTheNextOne(String provider) throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        SigningKey key = new SigningKey("ec", JWSAlgorithm.ES256, ec.toPublicJWK(), Instant.now(), Instant.now(), null);
        OwnSignatures signatures = new OwnSignatures(CryptoProvider.select(provider));
        byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
        byte[] good = new ECDSASigner(ec).sign(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.ES256), input).decode();
        assertTrue(signatures.verify(key, input, good), "genuine");

        byte[] padded = new byte[66];
        System.arraycopy(good, 0, padded, 1, 32);
        System.arraycopy(good, 32, padded, 34, 32);
        byte[][] bad = {new byte[0], new byte[300], new byte[64], padded, Arrays.copyOf(good, 63)};
        for (byte[] signature : bad) {
            assertFalse(signatures.verify(key, input, signature), "refused: " + signature.length + " bytes");
            assertTrue(signatures.verify(key, input, good), "the genuine signature still verifies after "
                    + signature.length + " bad bytes");
        }
        byte[] flipped = good.clone();
        flipped[10] ^= 1;
        assertFalse(signatures.verify(key, input, flipped));
        assertTrue(signatures.verify(key, input, good));
    }
}
