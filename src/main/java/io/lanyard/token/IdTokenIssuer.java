package io.lanyard.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import io.lanyard.clients.Client;
import io.lanyard.config.TokenProperties;
import io.lanyard.jwt.ClaimsWriter;
import io.lanyard.jwt.TokenKind;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.jwt.UserClaims;
import io.lanyard.users.User;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * OIDC Core 2 id_tokens, shaped for kube-apiserver: {@code aud} is the client id as a string,
 * RS256 unless the client asks for ES256, {@code groups} an array of plain names.
 */
@Singleton
public class IdTokenIssuer {
    private final TokenMinter minter;
    private final IssuerSettings settings;
    private final Duration defaultLifetime;

    public IdTokenIssuer(TokenMinter minter, IssuerSettings settings, TokenProperties tokens) {
        this.minter = minter;
        this.settings = settings;
        this.defaultLifetime = tokens.idTokenLifetime();
    }

    public String issue(Client client, UserAuthorization authorization, List<String> groups, String accessToken) {
        User user = authorization.user();
        Duration lifetime = settings.lifetime(client.idTokenLifetime(), defaultLifetime);
        long now = settings.now().getEpochSecond();
        JWSAlgorithm alg = settings.algorithm(client);
        ClaimsWriter claims = new ClaimsWriter()
                .string("iss", settings.issuer())
                .string("sub", user.id())
                .string("aud", client.clientId())
                .string("azp", client.clientId())
                .number("iat", now)
                .number("exp", now + lifetime.toSeconds())
                .number("auth_time", authorization.authTime().getEpochSecond());
        if (authorization.nonce() != null) {
            claims.string("nonce", authorization.nonce());
        }
        claims.string("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), alg).getValue());
        UserClaims.write(claims, user, groups, authorization.scope());
        return minter.sign(alg, TokenKind.ID_TOKEN, claims.toJson());
    }
}
