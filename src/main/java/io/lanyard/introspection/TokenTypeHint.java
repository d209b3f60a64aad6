package io.lanyard.introspection;

import io.lanyard.oauth.FormRequests;
import io.lanyard.oauth.OAuthException;
import io.micronaut.core.annotation.Nullable;

/**
 * RFC 7009 2.1 and RFC 7662 2.1 {@code token_type_hint}. Only a hint: the token's own shape decides
 * where it is looked up (a JWT is an access token, anything else a refresh token), so a wrong hint
 * changes nothing. A value neither RFC registers is refused (RFC 7009 2.2.1).
 */
enum TokenTypeHint {
    ACCESS_TOKEN, REFRESH_TOKEN;

    static @Nullable TokenTypeHint parse(@Nullable String hint) {
        if (hint == null) {
            return null;
        }
        return switch (hint) {
            case "access_token" -> ACCESS_TOKEN;
            case "refresh_token" -> REFRESH_TOKEN;
            default -> throw OAuthException.unsupportedTokenType("token_type_hint '" + FormRequests.safeName(hint)
                    + "' is not supported; use access_token or refresh_token");
        };
    }

    /** A compact JWS (three dot-separated parts); refresh tokens are opaque and have no dot. */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }
}
