package io.lanyard.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.oauth2.sdk.Scope;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** What a grant handler produced; the endpoint renders it as the token response. */
public record IssuedToken(String grantType, String accessToken, long expiresIn, @Nullable Scope scope,
                          @Nullable String refreshToken, @Nullable String idToken) {
    private static final JsonFactory JSON = new JsonFactory();

    public IssuedToken(String grantType, String accessToken, long expiresIn, @Nullable Scope scope) {
        this(grantType, accessToken, expiresIn, scope, null, null);
    }

    /** RFC 6749 section 5.1 JSON (with OIDC Core 3.1.3.3's id_token). */
    public String toJson() {
        if (refreshToken == null && idToken == null) {
            // the client-credentials hot path: every value is a JWT, a number or an NQCHAR scope
            StringBuilder json = new StringBuilder(accessToken.length() + 96)
                    .append("{\"access_token\":\"").append(accessToken)
                    .append("\",\"token_type\":\"Bearer\",\"expires_in\":").append(expiresIn);
            if (scope != null && !scope.isEmpty()) {
                json.append(",\"scope\":\"").append(scope).append('"');
            }
            return json.append('}').toString();
        }
        try (StringWriter out = new StringWriter(); JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("access_token", accessToken);
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
