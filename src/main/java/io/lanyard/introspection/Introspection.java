package io.lanyard.introspection;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.X509CertificateConfirmation;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.config.LanyardProperties;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.lanyard.token.RefreshTokens;
import io.lanyard.users.UserStatusCache;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RFC 7662 for authenticated clients. A client learns about a token only when it was issued to it
 * ({@code client_id}) or names it in {@code aud}; every other token, and every revoked, expired,
 * malformed or unknown one, or one whose user is disabled or deleted, is {@code {"active":false}},
 * the same answer, so the endpoint tells a stranger nothing. Access tokens are checked in memory
 * (keys, the revocation list, which users are disabled); a refresh token is looked up by digest.
 */
@Singleton
public class Introspection {
    static final String INACTIVE = new TokenIntrospectionSuccessResponse.Builder(false).build().toJSONObject()
            .toJSONString();

    private final OwnTokens ownTokens;
    private final UserStatusCache userStatus;
    private final ClientRegistry clients;
    private final Database database;
    private final Clock clock;
    private final Issuer issuer;

    public Introspection(OwnTokens ownTokens, UserStatusCache userStatus, ClientRegistry clients, Database database,
                         Clock clock, LanyardProperties lanyard) {
        this.ownTokens = ownTokens;
        this.userStatus = userStatus;
        this.clients = clients;
        this.database = database;
        this.clock = clock;
        this.issuer = new Issuer(lanyard.issuer());
    }

    /** True when answering needs the database: the token is no JWT, so it can only be a refresh token. */
    public static boolean blocking(String token) {
        return !TokenTypeHint.looksLikeJwt(token);
    }

    /** The RFC 7662 2.2 JSON answer for {@code caller}. */
    public String introspect(Client caller, String token) {
        return TokenTypeHint.looksLikeJwt(token) ? accessToken(caller, token) : refreshToken(caller, token);
    }

    private String accessToken(Client caller, String token) {
        JWTClaimsSet claims;
        try {
            claims = ownTokens.verify(token, TokenKind.WITH_ACCESS_CLAIMS, true);
        } catch (OwnTokens.InvalidTokenException e) {
            return INACTIVE;
        }
        String clientId = stringClaim(claims, "client_id");
        List<String> audience = claims.getAudience();
        boolean party = caller.clientId().equals(clientId) || audience != null && audience.contains(caller.clientId());
        if (!party || clientId == null || !subjectActive(claims.getSubject()) || clients.find(clientId).isEmpty()) {
            return INACTIVE;
        }
        TokenIntrospectionSuccessResponse.Builder answer = new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(new ClientID(clientId))
                .tokenType(AccessTokenType.BEARER)
                .issuer(issuer)
                .subject(new Subject(claims.getSubject()))
                .audience(audience == null ? null : Audience.create(audience))
                .expirationTime(claims.getExpirationTime())
                .issueTime(claims.getIssueTime())
                .jwtID(claims.getJWTID() == null ? null : new JWTID(claims.getJWTID()));
        String scope = stringClaim(claims, "scope");
        if (scope != null) {
            answer.scope(Scope.parse(scope));
        }
        if (claims.getClaim("act") instanceof Map<?, ?> act) {
            answer.parameter("act", act);
        }
        if (claims.getClaim("cnf") instanceof Map<?, ?> cnf && cnf.get("x5t#S256") instanceof String thumbprint) {
            answer.x509CertificateConfirmation(new X509CertificateConfirmation(new Base64URL(thumbprint)));
        }
        return answer.build().toJSONObject().toJSONString();
    }

    private String refreshToken(Client caller, String token) {
        Instant now = clock.instant();
        RefreshTokens.Stored stored = database.query(c -> RefreshTokens.find(c, OpaqueTokens.digest(token))).orElse(null);
        if (stored == null || !stored.clientId().equals(caller.clientId()) || stored.revokedAt() != null
                || stored.rotatedAt() != null || !stored.expiresAt().isAfter(now)
                || !stored.familyExpiresAt().isAfter(now) || !userStatus.active(stored.userId())) {
            return INACTIVE;
        }
        // RFC 7662 2.2 names token_type after RFC 6749 7.1's access-token types; a refresh token has
        // none, so it says what it is (as Ory Hydra's token_use does)
        return new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(new ClientID(stored.clientId()))
                .issuer(issuer)
                .subject(new Subject(stored.userId()))
                .scope(new Scope(new TreeSet<>(stored.scope()).toArray(String[]::new)))
                .expirationTime(Date.from(stored.expiresAt()))
                .issueTime(Date.from(stored.createdAt()))
                .parameter("token_type", "refresh_token")
                .build().toJSONObject().toJSONString();
    }

    /** A person's token while they exist and are enabled; a service's while its client exists. */
    private boolean subjectActive(String subject) {
        return subject != null && (userStatus.active(subject) || clients.find(subject).isPresent());
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
