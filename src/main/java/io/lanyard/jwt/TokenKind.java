package io.lanyard.jwt;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.core.annotation.Nullable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of JWT Lanyard signs, told apart by the protected header's {@code typ} alone (explicit
 * typing, RFC 8725 section 3.11), so that no kind is accepted where another is expected: an id_token
 * is no access token at userinfo, and a token from token exchange is no id_token at logout. Client
 * assertions are signed by clients' keys and refresh tokens are opaque, so neither can pass for these.
 */
public enum TokenKind {
    /** RFC 9068 access tokens. */
    ACCESS_TOKEN(new JOSEObjectType("at+jwt")),
    /** OpenID Connect id_tokens: {@code JWT}, which every relying party accepts (kube-apiserver, Spring, go-oidc). */
    ID_TOKEN(JOSEObjectType.JWT),
    /**
     * RFC 8693 {@code requested_token_type=...:jwt}, and the access tokens of a client registered with
     * {@code accessTokenTyp: none}: access-token claims and no {@code typ}, which JWT libraries accept by
     * default; a {@code JWT} typ would make it look like an id_token. Where an access token is expected, one
     * of these counts only from a client registered so ({@link OwnAccessTokens}).
     */
    EXCHANGED_JWT(null);

    /**
     * The kinds that carry access-token claims ({@code client_id}, {@code scope}, {@code jti}): what
     * introspection and revocation take, and a token exchange's {@code jwt}.
     */
    public static final Set<TokenKind> WITH_ACCESS_CLAIMS = Collections.unmodifiableSet(
            EnumSet.of(ACCESS_TOKEN, EXCHANGED_JWT));

    private final @Nullable JOSEObjectType typ;

    TokenKind(@Nullable JOSEObjectType typ) {
        this.typ = typ;
    }

    /** The header's {@code typ}; null for none. */
    public @Nullable JOSEObjectType typ() {
        return typ;
    }

    /** The kind a header's {@code typ} names, or null when it names none of Lanyard's. */
    public static @Nullable TokenKind of(@Nullable JOSEObjectType typ) {
        for (TokenKind kind : values()) {
            if (kind.typ == null ? typ == null : kind.typ.equals(typ)) {
                return kind;
            }
        }
        return null;
    }
}
