package io.lanyard.authorize;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.users.Connectors;
import io.lanyard.users.UserSource;
import io.lanyard.clients.RedirectUris;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.oauth.ScopeSyntax;
import jakarta.inject.Singleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an authorization request in the order OIDC Core 3.1.2.1 and RFC 6749 4.1.2.1 imply:
 * first what decides where errors may go (client, redirect URI), which are shown on a page, then
 * everything else, which is sent back to the client's redirect URI with {@code state}.
 */
@Singleton
public class AuthorizationRequestParser {
    public static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
    /** RFC 7636 4.2: BASE64URL(SHA256(verifier)) is exactly 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_RAW = 8192;

    private final ClientRegistry clients;
    private final Connectors connectors;

    public AuthorizationRequestParser(ClientRegistry clients, Connectors connectors) {
        this.connectors = connectors;
        this.clients = clients;
    }

    public AuthorizationRequest parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw AuthorizationError.page("the request has no parameters; start the login from your application");
        }
        if (raw.length() > MAX_RAW) {
            throw AuthorizationError.page("the request is too large");
        }
        Map<String, List<String>> p;
        try {
            p = FormBody.parse(raw);
        } catch (OAuthException e) {
            throw AuthorizationError.page("the request's parameters are not correctly encoded");
        }
        String clientId = onlyOne(p, "client_id");
        if (clientId == null) {
            throw AuthorizationError.page("client_id is missing or repeated");
        }
        Client client = clients.find(clientId).orElseThrow(() -> AuthorizationError.page("the client is not registered"));
        String redirectUri = onlyOne(p, "redirect_uri");
        if (redirectUri == null) {
            throw AuthorizationError.page("redirect_uri is missing or repeated");
        }
        if (RedirectUris.match(client.redirectUris(), redirectUri) == null) {
            throw AuthorizationError.page("redirect_uri is not registered for this client");
        }
        List<String> states = Parameters.all(p, "state");
        String state = states.size() == 1 ? states.get(0) : null;
        Refusal refuse = (error, description) -> AuthorizationError.redirect(error, description, redirectUri, state);

        for (Map.Entry<String, List<String>> parameter : p.entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw refuse.with("invalid_request", "a parameter is repeated");
            }
        }
        if (state != null && state.length() > 2048) {
            throw refuse.with("invalid_request", "state is longer than 2048 characters");
        }
        if (Parameters.single(p, "request") != null) {
            throw refuse.with("request_not_supported", "request objects are not supported");
        }
        if (Parameters.single(p, "request_uri") != null) {
            throw refuse.with("request_uri_not_supported", "request_uri is not supported");
        }
        String responseMode = Parameters.single(p, "response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            throw refuse.with("invalid_request", "response_mode must be query");
        }
        String responseType = Parameters.single(p, "response_type");
        if (responseType == null) {
            throw refuse.with("invalid_request", "response_type is missing");
        }
        if (!responseType.equals("code")) {
            throw refuse.with("unsupported_response_type", "only response_type=code is supported");
        }
        if (!client.allowsGrant(GrantTypes.AUTHORIZATION_CODE)) {
            throw refuse.with("unauthorized_client", "the client may not use the authorization code flow");
        }
        Set<String> scope = scope(client, Parameters.single(p, "scope"), refuse);
        String challenge = challenge(client, p, refuse);
        Set<String> prompt = prompt(Parameters.single(p, "prompt"), refuse);
        Long maxAge = maxAge(Parameters.single(p, "max_age"), refuse);
        String nonce = Parameters.single(p, "nonce");
        if (nonce != null && nonce.length() > 512) {
            throw refuse.with("invalid_request", "nonce is longer than 512 characters");
        }
        String loginHint = Parameters.single(p, "login_hint");
        if (loginHint != null && loginHint.length() > 255) {
            loginHint = null;
        }
        String connectorId = Parameters.single(p, "connector_id");
        if (connectorId != null && !UserSource.LOCAL.equals(connectorId) && connectors.find(connectorId).isEmpty()) {
            // as Dex: a connector_id that names no connector is an error, not a silent fallback
            throw refuse.with("invalid_request", "connector_id names no connector of this server");
        }
        return new AuthorizationRequest(raw, client, redirectUri, scope, state, nonce, challenge, prompt, maxAge,
                loginHint, connectorId);
    }

    private static Set<String> scope(Client client, String requested, Refusal refuse) {
        if (requested == null) {
            if (client.defaultScopes().isEmpty()) {
                throw refuse.with("invalid_scope", "scope is missing and the client has no default scopes");
            }
            return client.defaultScopes();
        }
        if (!ScopeSyntax.isList(requested)) {
            throw refuse.with("invalid_scope", "scope is not a space-separated list of scope tokens");
        }
        Set<String> scope = new LinkedHashSet<>(List.of(requested.split(" ")));
        for (String value : scope) {
            if (!client.scopes().contains(value)) {
                throw refuse.with("invalid_scope", "a requested scope is not allowed for this client");
            }
        }
        return scope;
    }

    private static String challenge(Client client, Map<String, List<String>> p, Refusal refuse) {
        String challenge = Parameters.single(p, "code_challenge");
        String method = Parameters.single(p, "code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw refuse.with("invalid_request", "code_challenge_method without code_challenge");
            }
            if (client.publicClient()) {
                throw refuse.with("invalid_request", "a public client must use PKCE (code_challenge with S256)");
            }
            return null;
        }
        // RFC 7636 makes "plain" the default when the method is absent; plain is refused (RFC 9700 2.1.1)
        if (!"S256".equals(method)) {
            throw refuse.with("invalid_request", "code_challenge_method must be S256");
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw refuse.with("invalid_request", "code_challenge is not a base64url SHA-256 digest");
        }
        return challenge;
    }

    private static Set<String> prompt(String prompt, Refusal refuse) {
        if (prompt == null) {
            return Set.of();
        }
        Set<String> values = new LinkedHashSet<>(List.of(prompt.split(" +")));
        for (String value : values) {
            if (!PROMPTS.contains(value)) {
                throw refuse.with("invalid_request", "prompt must be none, login, consent or select_account");
            }
        }
        if (values.contains("none") && values.size() > 1) {
            throw refuse.with("invalid_request", "prompt=none cannot be combined with other values");
        }
        return values;
    }

    private static Long maxAge(String maxAge, Refusal refuse) {
        if (maxAge == null) {
            return null;
        }
        if (!maxAge.matches("\\d{1,10}")) {
            throw refuse.with("invalid_request", "max_age must be a number of seconds");
        }
        return Long.parseLong(maxAge);
    }

    private static String onlyOne(Map<String, List<String>> p, String name) {
        List<String> values = Parameters.all(p, name);
        return values.size() == 1 && p.get(name).size() == 1 ? values.get(0) : null;
    }

    @FunctionalInterface
    private interface Refusal {
        AuthorizationError with(String error, String description);
    }
}
