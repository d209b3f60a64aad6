package io.lanyard.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.SigningKey;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Claims in, compact JWS out, signed by the key ring's active key for the algorithm. */
@Singleton
public class TokenMinter {
    public static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

    private final KeyRingHolder keys;
    private final Clock clock;

    public TokenMinter(KeyRingHolder keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public String sign(JWSAlgorithm alg, JOSEObjectType type, JWTClaimsSet claims) {
        SigningKey key = keys.current().signingKey(alg, clock.instant());
        if (key == null) {
            throw OAuthException.temporarilyUnavailable("no signing key is active");
        }
        JWSHeader header = new JWSHeader.Builder(alg).type(type).keyID(key.kid()).build();
        JWSObject jws = new JWSObject(header, new Payload(claims.toJSONObject()));
        try {
            jws.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
        return jws.serialize();
    }
}
