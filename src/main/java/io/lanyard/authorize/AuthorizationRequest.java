package io.lanyard.authorize;

import io.lanyard.clients.Client;
import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * An authorization request (OIDC Core 3.1.2.1) that passed every check.
 *
 * @param raw           the request's parameters as received (a query string or form body), carried
 *                      through the login form so the request can be checked again after login
 * @param redirectUri   the redirect URI as the client sent it (it matched a registered one)
 * @param scope         scopes granted: requested, or the client's defaults
 * @param codeChallenge RFC 7636 S256 challenge; null only for confidential clients that sent none
 * @param maxAge        seconds since the last login beyond which the user must log in again
 * @param connectorId   Dex's {@code connector_id}: the one source the login form checks (a connector's
 *                      id, or {@code local} for Lanyard's own users); null for all of them
 */
public record AuthorizationRequest(
        String raw,
        Client client,
        String redirectUri,
        Set<String> scope,
        @Nullable String state,
        @Nullable String nonce,
        @Nullable String codeChallenge,
        Set<String> prompt,
        @Nullable Long maxAge,
        @Nullable String loginHint,
        @Nullable String connectorId) {

    public AuthorizationRequest {
        scope = Set.copyOf(scope);
        prompt = Set.copyOf(prompt);
    }

    public boolean promptNone() {
        return prompt.contains("none");
    }

    /** {@code prompt=login} (and {@code select_account}: one account per browser here) forces a login. */
    public boolean forcesLogin() {
        return prompt.contains("login") || prompt.contains("select_account");
    }
}
