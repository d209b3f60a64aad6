package io.lanyard.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.keys.SigningKey;

import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the signature of a token this server signed, with one initialised {@link Signature} per
 * thread and key. Nimbus's verifier looks the algorithm up in the provider list and decodes with
 * its own Base64 on every call; token exchange verifies two JWTs per request, and those lookups
 * were a tenth of the exchange's own time in a JFR profile (BENCHMARKS.md). A measured hot path,
 * written by hand for that reason.
 */
final class OwnSignatures {
    /** A thread keeps at most this many keys initialised; rotation adds about one a month. */
    private static final int KEYS_PER_THREAD = 8;
    private static final int ES256_SIGNATURE_BYTES = 64;

    private final CryptoProvider crypto;
    private final ThreadLocal<Map<String, Signature>> perThread = ThreadLocal.withInitial(HashMap::new);

    OwnSignatures(CryptoProvider crypto) {
        this.crypto = crypto;
    }

    /** @param signature the JWS signature as sent: PKCS#1 v1.5 for RS256, R||S for ES256 */
    boolean verify(SigningKey key, byte[] signingInput, byte[] signature) {
        byte[] encoded;
        try {
            if (JWSAlgorithm.ES256.equals(key.alg())) {
                // exactly R||S, each in range (as Nimbus's ECDSAVerifier checks): no padded
                // variants of one signature, and no r = 0 or s = 0 (CVE-2022-21449)
                if (signature.length != ES256_SIGNATURE_BYTES) {
                    return false;
                }
                ECDSA.ensureLegalSignature(signature, JWSAlgorithm.ES256);
                encoded = ECDSA.transcodeSignatureToDER(signature);
            } else {
                encoded = signature;
            }
        } catch (JOSEException e) {
            return false;
        }
        try {
            Signature verifier = verifier(key);
            verifier.update(signingInput);
            return verifier.verify(encoded);
        } catch (GeneralSecurityException | JOSEException | ProviderException | IllegalArgumentException e) {
            // a provider may throw before it resets: the cached object could carry this input
            // into the next verification on the thread, so it is dropped
            perThread.get().remove(key.kid());
            return false;
        }
    }

    private Signature verifier(SigningKey key) throws GeneralSecurityException, JOSEException {
        Map<String, Signature> mine = perThread.get();
        Signature cached = mine.get(key.kid());
        if (cached != null) {
            return cached;
        }
        boolean rsa = JWSAlgorithm.RS256.equals(key.alg());
        if (!rsa && !JWSAlgorithm.ES256.equals(key.alg())) {
            throw new GeneralSecurityException("no verifier for " + key.alg());
        }
        Signature verifier = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA",
                crypto.forAlgorithm(rsa ? "RSA" : "EC"));
        PublicKey publicKey = ((AsymmetricJWK) key.publicJwk()).toPublicKey();
        verifier.initVerify(publicKey);
        if (mine.size() >= KEYS_PER_THREAD) {
            mine.clear();
        }
        mine.put(key.kid(), verifier);
        return verifier;
    }
}
