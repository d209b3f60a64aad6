package io.lanyard.oauth;

import io.micronaut.core.annotation.Nullable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Authorization responses in the query of the client's redirect URI (RFC 6749 4.1.2), with
 * {@code iss} (RFC 9207) so a client talking to several providers can tell which one answered.
 */
public final class RedirectLocations {
    private RedirectLocations() {
    }

    public static String code(String redirectUri, String code, @Nullable String state, String issuer) {
        StringBuilder location = start(redirectUri).append("code=").append(encode(code));
        return finish(location, state, issuer);
    }

    public static String error(String redirectUri, String error, String description, @Nullable String state,
                               String issuer) {
        StringBuilder location = start(redirectUri).append("error=").append(encode(error))
                .append("&error_description=").append(encode(description));
        return finish(location, state, issuer);
    }

    /** RP-initiated logout: back to the client with its state. */
    public static String withState(String uri, @Nullable String state) {
        return state == null ? uri : start(uri).append("state=").append(encode(state)).toString();
    }

    private static StringBuilder start(String redirectUri) {
        StringBuilder location = new StringBuilder(redirectUri.length() + 128).append(redirectUri);
        // a registered URI may carry its own query (RFC 6749 3.1.2), which must be kept
        location.append(redirectUri.indexOf('?') < 0 ? '?' : '&');
        return location;
    }

    private static String finish(StringBuilder location, @Nullable String state, String issuer) {
        if (state != null) {
            location.append("&state=").append(encode(state));
        }
        return location.append("&iss=").append(encode(issuer)).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
