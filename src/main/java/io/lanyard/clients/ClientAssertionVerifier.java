package io.lanyard.clients;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.config.LanyardProperties;
import io.lanyard.oauth.ClockSkew;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.IssuerUrl;
import io.lanyard.oauth.OAuthException;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code private_key_jwt} (RFC 7523 sections 2.2 and 3, OpenID Connect Core section 9): a client
 * proves itself with a JWT signed by a key it registered. Keys come only from the client's
 * registration, never from the assertion's header ({@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c} are not looked at), and only asymmetric algorithms are accepted, so neither
 * {@code none} nor an HMAC keyed with a public key can pass. Each assertion works once: its jti
 * is written to the database, where a primary key lets one replica win. That write is why
 * assertions are checked on the blocking pool.
 */
@Singleton
public class ClientAssertionVerifier {
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Asymmetric only: an HS256 assertion would be keyed with something the client published. */
    public static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);
    /** Longest an assertion may live: it is a one-request credential, and its jti is kept this long. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final String FAILED = "client authentication failed";

    private final ClientRegistry registry;
    private final ClientJwks jwks;
    private final Database database;
    private final Clock clock;
    private final String issuer;
    private final String tokenEndpoint;
    private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.EPOCH);

    public ClientAssertionVerifier(ClientRegistry registry, ClientJwks jwks, Database database, Clock clock,
                                   LanyardProperties lanyard) {
        this.registry = registry;
        this.jwks = jwks;
        this.database = database;
        this.clock = clock;
        this.issuer = lanyard.issuer();
        this.tokenEndpoint = IssuerUrl.endpoint(issuer, Endpoints.TOKEN);
    }

    /**
     * Authenticates the client that signed {@code assertion}. Failures before the signature is
     * verified all read the same, so they say nothing about which clients or keys exist.
     *
     * @param formClientId the request's {@code client_id}, when it sent one
     */
    public Client verify(SignedJWT jwt, @Nullable String formClientId) {
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidClient("client_assertion is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw OAuthException.invalidClient("client_assertion must be signed with one of " + ALGORITHMS);
        }
        String clientId = claims.getSubject();
        if (clientId == null || !clientId.equals(claims.getIssuer())) {
            throw OAuthException.invalidClient("client_assertion needs iss and sub, both the client_id");
        }
        if (formClientId != null && !formClientId.equals(clientId)) {
            throw OAuthException.invalidRequest("client_id does not match the client_assertion");
        }
        Client client = registry.find(clientId).orElse(null);
        if (client == null || !client.usesPrivateKeyJwt()) {
            throw OAuthException.invalidClient(FAILED);
        }
        if (!verified(jwt, jwks.keys(client))) {
            JWKSet refetched = jwks.refetch(client);
            if (refetched == null || !verified(jwt, refetched)) {
                throw OAuthException.invalidClient(FAILED);
            }
        }
        Instant exp = checkClaims(claims);
        recordJti(clientId, claims.getJWTID(), exp);
        return client;
    }

    /** True when a registered key that fits the header's alg (and kid, if any) verifies the signature. */
    private static boolean verified(SignedJWT jwt, JWKSet keys) {
        JWSHeader header = jwt.getHeader();
        for (JWK key : keys.getKeys()) {
            if (header.getKeyID() != null && !header.getKeyID().equals(key.getKeyID())) {
                continue;
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                continue;
            }
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(header.getAlgorithm())) {
                continue;
            }
            try {
                JWSVerifier verifier = verifier(header.getAlgorithm(), key);
                if (verifier != null && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key of the right type but the wrong curve or size: try the next one
            }
        }
        return false;
    }

    private static JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws JOSEException {
        if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (JWSAlgorithm.Family.EC.contains(alg) && key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        return null;
    }

    /** RFC 7523 section 3 on a verified assertion; returns its expiry. */
    private Instant checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        List<String> audience = claims.getAudience();
        if (audience == null || !(audience.contains(tokenEndpoint) || audience.contains(issuer))) {
            throw OAuthException.invalidClient("client_assertion aud must contain the token endpoint or the issuer");
        }
        Date expDate = claims.getExpirationTime();
        if (expDate == null) {
            throw OAuthException.invalidClient("client_assertion needs exp");
        }
        Instant exp = expDate.toInstant();
        if (!exp.isAfter(now)) {
            throw OAuthException.invalidClient("client_assertion has expired");
        }
        Date iat = claims.getIssueTime();
        Date nbf = claims.getNotBeforeTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(ClockSkew.TOLERANCE)) || nbf != null && nbf.toInstant().isAfter(now.plus(ClockSkew.TOLERANCE))) {
            throw OAuthException.invalidClient("client_assertion is not valid yet (iat or nbf in the future)");
        }
        Instant start = iat == null ? now : iat.toInstant();
        if (exp.isAfter(start.plus(MAX_LIFETIME)) || exp.isAfter(now.plus(MAX_LIFETIME).plus(ClockSkew.TOLERANCE))) {
            throw OAuthException.invalidClient("client_assertion may live at most " + MAX_LIFETIME.toSeconds()
                    + " seconds (exp too far ahead)");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 255) {
            throw OAuthException.invalidClient("client_assertion needs a jti of 1-255 characters");
        }
        return exp;
    }

    private void recordJti(String clientId, String jti, Instant exp) {
        Instant now = clock.instant();
        try {
            database.inTransaction(c -> {
                AssertionJtiStore.insert(c, clientId, jti, exp);
                return null;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw OAuthException.invalidClient("client_assertion has been used before");
            }
            throw OAuthException.temporarilyUnavailable("the database is not reachable");
        }
        Instant last = lastSweep.get();
        if (last.plus(SWEEP_INTERVAL).isBefore(now) && lastSweep.compareAndSet(last, now)) {
            try {
                database.inTransaction(c -> AssertionJtiStore.sweep(c, now));
            } catch (StorageException e) {
                // the next sweep will catch up; this assertion is already recorded
            }
        }
    }
}
