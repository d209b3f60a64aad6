package io.lanyard.authorize;

import io.micronaut.core.annotation.Nullable;

/**
 * A refused authorization request. With a redirect URI it goes back to the client (RFC 6749
 * 4.1.2.1); without one (client or redirect URI not established) the browser is shown a page and
 * never redirected, since redirecting to an unchecked URI is an open redirect.
 */
public final class AuthorizationError extends RuntimeException {
    private final String error;
    private final String description;
    private final String redirectUri;
    private final String state;

    private AuthorizationError(String error, String description, @Nullable String redirectUri, @Nullable String state) {
        super(error + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** Shown on a page: the client or its redirect URI could not be trusted. */
    public static AuthorizationError page(String description) {
        return new AuthorizationError("invalid_request", description, null, null);
    }

    public static AuthorizationError redirect(String error, String description, String redirectUri,
                                              @Nullable String state) {
        return new AuthorizationError(error, description, redirectUri, state);
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public @Nullable String redirectUri() {
        return redirectUri;
    }

    public @Nullable String state() {
        return state;
    }

    public boolean redirectable() {
        return redirectUri != null;
    }
}
