package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.Client;
import io.lanyard.jwt.TokenKind;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides one access token's claims and header; {@link AccessTokenIssuer} adds the
 * issuer, times and {@code jti}.
 *
 * @param subject               {@code sub}: the client itself, or the person it acts for
 * @param notAfter              the token expires no later than this (a token exchange does not outlive
 *                              its subject token unless its policy says so); null for no bound
 * @param extraClaims           written after the standard claims: RFC 8693 {@code act}, {@code kubernetes.io}
 * @param kind                  an RFC 9068 access token, or the plain JWT a token exchange may ask for
 * @param certificateThumbprint the TLS client certificate's {@code x5t#S256}, for clients whose tokens are
 *                              bound to it (RFC 8705 section 3); null when none was presented
 */
public record AccessTokenSpec(String grantType, Client client, String subject, List<String> audience,
                              @Nullable Scope scope, @Nullable Instant notAfter, Map<String, ?> extraClaims,
                              TokenKind kind, @Nullable String certificateThumbprint) {
    public AccessTokenSpec {
        audience = List.copyOf(audience);
        extraClaims = Map.copyOf(extraClaims);
    }

    /** An RFC 9068 access token for this request's grant, bound to its certificate where the client asks. */
    public static AccessTokenSpec of(GrantRequest request, Client client, String subject, List<String> audience,
                                     @Nullable Scope scope) {
        return new AccessTokenSpec(request.grantType(), client, subject, audience, scope, null, Map.of(),
                TokenKind.ACCESS_TOKEN, request.certificateThumbprint());
    }

    public AccessTokenSpec notAfter(@Nullable Instant bound) {
        return new AccessTokenSpec(grantType, client, subject, audience, scope, bound, extraClaims, kind,
                certificateThumbprint);
    }

    public AccessTokenSpec claims(Map<String, ?> claims) {
        return new AccessTokenSpec(grantType, client, subject, audience, scope, notAfter, claims, kind,
                certificateThumbprint);
    }

    public AccessTokenSpec kind(TokenKind tokenKind) {
        return new AccessTokenSpec(grantType, client, subject, audience, scope, notAfter, extraClaims, tokenKind,
                certificateThumbprint);
    }

    /**
     * The kind the token is signed as: an access token of a client registered with {@code accessTokenTyp: none}
     * carries no {@code typ}, as a token exchange's plain JWT does (README "Verifying Lanyard's tokens in your
     * service").
     */
    public TokenKind signedAs() {
        return kind == TokenKind.ACCESS_TOKEN && client.accessTokenTyp() == AccessTokenTyp.NONE
                ? TokenKind.EXCHANGED_JWT : kind;
    }
}
