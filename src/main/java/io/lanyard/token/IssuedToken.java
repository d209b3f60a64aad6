package io.lanyard.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.oauth2.sdk.Scope;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * What a grant handler produced ({@code accessTokenId} is not rendered: it is what a grant records to
 * revoke the access token later); the endpoint renders it as the token response. {@link #toJson()}
 * builds the client-credentials and token-exchange answer as a string when nothing in it needs
 * escaping: a measured hot path (BENCHMARKS.md, token exchange), Jackson otherwise.
 */
public record IssuedToken(String grantType, String accessToken, long expiresIn, @Nullable Scope scope,
                          @Nullable String refreshToken, @Nullable String idToken, @Nullable String issuedTokenType,
                          @Nullable AccessTokenId accessTokenId) {
    private static final JsonFactory JSON = new JsonFactory();

    public IssuedToken(String grantType, String accessToken, long expiresIn, @Nullable Scope scope,
                       @Nullable String refreshToken, @Nullable String idToken) {
        this(grantType, accessToken, expiresIn, scope, refreshToken, idToken, null, null);
    }

    /** NQCHAR (RFC 6749 appendix A.4) and no quote or backslash: safe inside a JSON string as it is. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** RFC 6749 section 5.1 JSON (with OIDC Core 3.1.3.3's id_token). */
    public String toJson() {
        if (refreshToken == null && idToken == null && (scope == null || plain(scope.toString()))) {
            // the client-credentials and token-exchange hot path: every value is a JWT, a token-type
            // URN of ours, a number or an NQCHAR scope, none of which needs escaping
            StringBuilder json = new StringBuilder(accessToken.length() + 160)
                    .append("{\"access_token\":\"").append(accessToken).append('"');
            if (issuedTokenType != null) {
                json.append(",\"issued_token_type\":\"").append(issuedTokenType).append('"');
            }
            json.append(",\"token_type\":\"Bearer\",\"expires_in\":").append(expiresIn);
            if (scope != null && !scope.isEmpty()) {
                json.append(",\"scope\":\"").append(scope).append('"');
            }
            return json.append('}').toString();
        }
        try (StringWriter out = new StringWriter(); JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("access_token", accessToken);
            if (issuedTokenType != null) {
                json.writeStringField("issued_token_type", issuedTokenType);
            }
            // RFC 8693 2.2.1: a token of type jwt here carries access-token claims, so it is usable as one
            json.writeStringField("token_type", "Bearer");
            json.writeNumberField("expires_in", expiresIn);
            if (scope != null && !scope.isEmpty()) {
                json.writeStringField("scope", scope.toString());
            }
            if (refreshToken != null) {
                json.writeStringField("refresh_token", refreshToken);
            }
            if (idToken != null) {
                json.writeStringField("id_token", idToken);
            }
            json.writeEndObject();
            json.flush();
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
