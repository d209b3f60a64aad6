package io.lanyard.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.LanyardProperties;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeysProperties;
import io.lanyard.keys.SigningKey;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a JWT this server signed (an access token at userinfo, an id_token_hint at logout):
 * the kid must be in the key ring, the algorithm is the key's own (never the header's choice
 * alone), and the issuer and type must be ours.
 */
@Singleton
public class OwnTokens {

    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final KeyRingHolder keys;
    private final String issuer;
    private final Clock clock;
    private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    private final CryptoProvider crypto;

    public OwnTokens(KeyRingHolder keys, LanyardProperties lanyard, Clock clock, CryptoProvider crypto) {
        this.crypto = crypto;
        this.keys = keys;
        this.issuer = lanyard.issuer();
        this.clock = clock;
    }

    /**
     * @param type         the {@code typ} the token must carry
     * @param checkExpiry  false for an id_token_hint, which may have expired (OIDC RP-Initiated Logout 2)
     */
    public JWTClaimsSet verify(@Nullable String token, JOSEObjectType type, boolean checkExpiry)
            throws InvalidTokenException {
        if (token == null || token.length() > 16384) {
            throw new InvalidTokenException("no token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
        String kid = jwt.getHeader().getKeyID();
        SigningKey key = kid == null ? null : keys.current().byKid(kid).orElse(null);
        if (key == null || !key.alg().equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("not signed by a key of this server");
        }
        if (!type.equals(jwt.getHeader().getType())) {
            throw new InvalidTokenException("wrong token type");
        }
        try {
            if (!jwt.verify(verifier(key))) {
                throw new InvalidTokenException("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("bad signature");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException("issued by someone else");
        }
        if (checkExpiry) {
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().plus(KeysProperties.SKEW).isAfter(Instant.now(clock))) {
                throw new InvalidTokenException("expired");
            }
        }
        return claims;
    }

    private JWSVerifier verifier(SigningKey key) throws JOSEException {
        JWSVerifier cached = verifiers.get(key.kid());
        if (cached != null) {
            return cached;
        }
        PublicKey publicKey = ((AsymmetricJWK) key.publicJwk()).toPublicKey();
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(new JWSHeader(key.alg()), publicKey);
        // verify with the provider that signs (ACCP where it loads): token exchange verifies two JWTs per request
        verifier.getJCAContext().setProvider(crypto.forAlgorithm(JWSAlgorithm.RS256.equals(key.alg()) ? "RSA" : "EC"));
        verifiers.put(key.kid(), verifier);
        return verifier;
    }
}
