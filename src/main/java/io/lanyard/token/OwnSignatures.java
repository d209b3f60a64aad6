package io.lanyard.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.keys.SigningKey;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the signature of a token this server signed, with one initialised {@link Signature} per
 * thread and key. Nimbus's verifier looks the algorithm up in the provider list and decodes with
 * its own Base64 on every call; token exchange verifies two JWTs per request, and those lookups
 * were a tenth of the exchange's own time in a JFR profile (BENCHMARKS.md).
 */
final class OwnSignatures {
    /** A thread keeps at most this many keys initialised; rotation adds about one a month. */
    private static final int KEYS_PER_THREAD = 8;

    private final CryptoProvider crypto;
    private final ThreadLocal<Map<String, Signature>> perThread = ThreadLocal.withInitial(HashMap::new);

    OwnSignatures(CryptoProvider crypto) {
        this.crypto = crypto;
    }

    /** @param signature the JWS signature as sent: PKCS#1 v1.5 for RS256, R||S for ES256 */
    boolean verify(SigningKey key, byte[] signingInput, byte[] signature) {
        try {
            Signature verifier = verifier(key);
            verifier.update(signingInput);
            byte[] encoded = JWSAlgorithm.ES256.equals(key.alg()) ? ECDSA.transcodeSignatureToDER(signature) : signature;
            return verifier.verify(encoded);
        } catch (GeneralSecurityException | JOSEException e) {
            return false; // a malformed signature, or one of the wrong length
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
