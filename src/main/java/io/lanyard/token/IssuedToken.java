package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.micronaut.core.annotation.Nullable;

/** What a grant handler produced; the endpoint renders it as the token response. */
public record IssuedToken(String grantType, String accessToken, long expiresIn, @Nullable Scope scope) {

    /** RFC 6749 section 5.1 JSON. */
    public String toJson() {
        StringBuilder json = new StringBuilder(accessToken.length() + 96)
                .append("{\"access_token\":\"").append(accessToken)
                .append("\",\"token_type\":\"Bearer\",\"expires_in\":").append(expiresIn);
        if (scope != null && !scope.isEmpty()) {
            // scope tokens are NQCHAR (no quote, no backslash), checked when the client was registered
            json.append(",\"scope\":\"").append(scope).append('"');
        }
        return json.append('}').toString();
    }
}
