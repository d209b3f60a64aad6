package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.config.TokenProperties;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.OAuthException;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
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
    private final IssuerSettings settings;
    private final Duration defaultLifetime;

    public AccessTokenIssuer(TokenMinter minter, IssuerSettings settings, TokenProperties tokens) {
        this.minter = minter;
        this.settings = settings;
        this.defaultLifetime = tokens.accessTokenLifetime();
    }

    public IssuedToken issue(AccessTokenSpec spec) {
        Client client = spec.client();
        Scope scope = spec.scope();
        Instant notAfter = spec.notAfter();
        Duration lifetime = settings.lifetime(client.tokenLifetime(), defaultLifetime);
        Instant issuedAt = settings.now();
        if (notAfter != null && issuedAt.plus(lifetime).isAfter(notAfter)) {
            lifetime = Duration.between(issuedAt, Instant.ofEpochSecond(notAfter.getEpochSecond()));
        }
        String jti = newJti();
        Instant expiresAt = issuedAt.plus(lifetime);
        ClaimsWriter claims = new ClaimsWriter()
                .string("iss", settings.issuer())
                .string("sub", spec.subject())
                .audience(spec.audience())
                .string("client_id", client.clientId())
                .number("iat", issuedAt.getEpochSecond())
                .number("exp", expiresAt.getEpochSecond())
                .string("jti", jti);
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
        String token = minter.sign(settings.algorithm(client), spec.signedAs(), claims.toJson());
        return new IssuedToken(spec.grantType(), token, lifetime.toSeconds(), scope, null, null, null,
                new AccessTokenId(jti, expiresAt));
    }

    private static String newJti() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
