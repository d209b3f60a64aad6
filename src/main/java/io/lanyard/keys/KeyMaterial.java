package io.lanyard.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.lanyard.config.LanyardConfigException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;

/** Makes, seals and opens signing keys with the selected provider. Only RS256 and ES256 exist here. */
public final class KeyMaterial {
    public static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final CryptoProvider crypto;
    private final KeyEncryptionKey kek;
    private final int rsaBits;

    public KeyMaterial(CryptoProvider crypto, KeyEncryptionKey kek, int rsaBits) {
        if (rsaBits != 2048 && rsaBits != 3072 && rsaBits != 4096) {
            throw new LanyardConfigException("lanyard.keys.rsa-bits must be 2048, 3072 or 4096, not " + rsaBits);
        }
        this.crypto = crypto;
        this.kek = kek;
        this.rsaBits = rsaBits;
    }

    public static JWSAlgorithm algorithm(String name) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name.trim());
        if (!SUPPORTED.contains(alg)) {
            throw new LanyardConfigException("signing algorithm '" + name + "' is not offered; use RS256 or ES256");
        }
        return alg;
    }

    public String kekId() {
        return kek.id();
    }

    public StoredKey generate(JWSAlgorithm alg, Instant now, Instant activatesAt) {
        try {
            KeyPair pair;
            JWK jwk;
            if (JWSAlgorithm.RS256.equals(alg)) {
                KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA", crypto.forAlgorithm("RSA"));
                gen.initialize(rsaBits);
                pair = gen.generateKeyPair();
                jwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                        .keyUse(KeyUse.SIGNATURE).algorithm(alg).keyIDFromThumbprint().build();
            } else if (JWSAlgorithm.ES256.equals(alg)) {
                KeyPairGenerator gen = KeyPairGenerator.getInstance("EC", crypto.forAlgorithm("EC"));
                gen.initialize(new ECGenParameterSpec("secp256r1"));
                pair = gen.generateKeyPair();
                jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                        .keyUse(KeyUse.SIGNATURE).algorithm(alg).keyIDFromThumbprint().build();
            } else {
                throw new IllegalArgumentException("unsupported algorithm " + alg);
            }
            String kid = jwk.getKeyID();
            byte[] sealed = kek.seal(pair.getPrivate().getEncoded(), kid);
            return new StoredKey(kid, alg.getName(), jwk.toPublicJWK().toJSONString(), sealed, kek.id(),
                    now, activatesAt, null);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("key generation failed for " + alg, e);
        }
    }

    /** The public half alone: published, never signing. */
    public static SigningKey publicOnly(StoredKey stored) {
        try {
            return new SigningKey(stored.kid(), JWSAlgorithm.parse(stored.alg()), JWK.parse(stored.publicJwk()),
                    stored.createdAt(), stored.activatesAt(), null);
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + stored.kid() + " does not parse", e);
        }
    }

    /** Opens a stored key with its signer; fails when this replica's KEK did not seal it. */
    public SigningKey open(StoredKey stored) throws KeyOpenException {
        SigningKey publicPart = publicOnly(stored);
        JWSAlgorithm alg = publicPart.alg();
        JWK publicJwk = publicPart.publicJwk();
        if (stored.privateKeyEnc() == null) {
            return publicPart;
        }
        if (!stored.kekId().equals(kek.id())) {
            throw new KeyOpenException("signing key " + stored.kid() + " was sealed by key-encryption key "
                    + stored.kekId() + " but this Lanyard has " + kek.id()
                    + " (LANYARD_KEK or LANYARD_KEK_FILE differs between replicas or restarts)");
        }
        byte[] pkcs8;
        try {
            pkcs8 = kek.open(stored.privateKeyEnc(), stored.kid());
            signer(alg, pkcs8);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new KeyOpenException("signing key " + stored.kid() + " cannot be opened with this "
                    + "key-encryption key: " + e.getClass().getSimpleName());
        }
        JWSSigner signer = new PerThreadSigner(() -> {
            try {
                return signer(alg, pkcs8);
            } catch (GeneralSecurityException | JOSEException e) {
                throw new IllegalStateException("key " + stored.kid() + " opened once but not again", e);
            }
        });
        return new SigningKey(stored.kid(), alg, publicJwk, stored.createdAt(), stored.activatesAt(), signer);
    }

    private JWSSigner signer(JWSAlgorithm alg, byte[] pkcs8) throws GeneralSecurityException, JOSEException {
        String family = JWSAlgorithm.RS256.equals(alg) ? "RSA" : "EC";
        PrivateKey privateKey = KeyFactory.getInstance(family, crypto.forAlgorithm(family))
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        JWSSigner signer = JWSAlgorithm.RS256.equals(alg)
                ? new RSASSASigner(privateKey)
                : new ECDSASigner(privateKey, Curve.P_256);
        signer.getJCAContext().setProvider(crypto.forAlgorithm(JWSAlgorithm.RS256.equals(alg) ? "RSA" : "EC"));
        return signer;
    }

    public static final class KeyOpenException extends Exception {
        public KeyOpenException(String message) {
            super(message);
        }
    }
}
