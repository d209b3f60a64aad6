package io.lanyard.token;

import io.lanyard.config.TokenProperties;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.OAuthException;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.config.LanyardProperties;
import io.lanyard.clients.Client;
import io.lanyard.keys.KeyRotator;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** RFC 9068 JWT access tokens. */
@Singleton
public class AccessTokenIssuer {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TokenMinter minter;
    private final String issuer;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final JWSAlgorithm defaultAlgorithm;
    private final Clock clock;

    public AccessTokenIssuer(TokenMinter minter, LanyardProperties lanyard, TokenProperties tokens,
                             KeyRotator rotator, Clock clock) {
        this.minter = minter;
        this.issuer = lanyard.issuer();
        this.defaultLifetime = tokens.accessTokenLifetime();
        this.maxLifetime = tokens.maxLifetime();
        this.defaultAlgorithm = rotator.algorithms().get(0);
        this.clock = clock;
    }

    public IssuedToken issue(AccessTokenSpec spec) {
        Client client = spec.client();
        Scope scope = spec.scope();
        Instant notAfter = spec.notAfter();
        Duration wanted = client.tokenLifetime() == null ? defaultLifetime : client.tokenLifetime();
        // Retired keys stay published for max-lifetime; no token may outlive that, even when the
        // limit was lowered after the client was registered.
        Duration lifetime = wanted.compareTo(maxLifetime) > 0 ? maxLifetime : wanted;
        Instant now = clock.instant();
        // Whole seconds: NumericDate has no fraction, and exp - iat should equal expires_in.
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        if (notAfter != null && issuedAt.plus(lifetime).isAfter(notAfter)) {
            lifetime = Duration.between(issuedAt, Instant.ofEpochSecond(notAfter.getEpochSecond()));
        }
        ClaimsWriter claims = new ClaimsWriter()
                .string("iss", issuer)
                .string("sub", spec.subject())
                .audience(spec.audience())
                .string("client_id", client.clientId())
                .number("iat", issuedAt.getEpochSecond())
                .number("exp", issuedAt.plus(lifetime).getEpochSecond())
                .string("jti", newJti());
        if (scope != null && !scope.isEmpty()) {
            claims.string("scope", scope.toString());
        }
        spec.extraClaims().forEach(claims::object);
        if (client.mutualTls() != null && client.mutualTls().boundAccessTokens()) {
            String thumbprint = spec.certificateThumbprint();
            if (thumbprint == null) {
                // e.g. a jwt-bearer request naming the client without its certificate: an unbound
                // token would be a bearer token the client asked never to receive
                throw OAuthException.invalidClient("this client's access tokens are bound to its TLS client "
                        + "certificate, and none was presented");
            }
            // RFC 8705 section 3.1
            claims.object("cnf", Map.of("x5t#S256", thumbprint));
        }
        JWSAlgorithm alg = client.tokenSigningAlg() == null ? defaultAlgorithm : JWSAlgorithm.parse(client.tokenSigningAlg());
        String token = minter.sign(alg, spec.type(), claims.toJson());
        return new IssuedToken(spec.grantType(), token, lifetime.toSeconds(), scope);
    }

    private static String newJti() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
