package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.ScopeSyntax;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Scope (RFC 6749 section 3.3) and audience (RFC 8707 {@code resource}, RFC 8693 {@code audience}) checks. */
public final class RequestedTargets {

    private RequestedTargets() {
    }

    /** The scope to grant: what was asked if the client may have all of it, else its defaults. */
    public static Scope scope(Client client, GrantRequest request) {
        String requested = request.parameter("scope");
        if (requested == null) {
            return new Scope(client.defaultScopes().stream().sorted().toArray(String[]::new));
        }
        if (!ScopeSyntax.isList(requested)) {
            throw OAuthException.invalidScope("scope is not a space-separated list of scope tokens");
        }
        Scope scope = Scope.parse(requested);
        for (Scope.Value value : scope) {
            if (!client.scopes().contains(value.getValue())) {
                throw OAuthException.invalidScope("scope '" + value.getValue() + "' is not allowed for this client");
            }
        }
        return scope;
    }

    /** The audiences to issue for: the requested ones if all are allowed, else all the client's. */
    public static List<String> audience(Client client, GrantRequest request) {
        Set<String> requested = new LinkedHashSet<>();
        for (String resource : request.all("resource")) {
            requested.add(checkResource(resource));
        }
        requested.addAll(request.all("audience"));
        if (requested.isEmpty()) {
            if (client.audiences().isEmpty()) {
                throw OAuthException.invalidTarget("the client has no audience to issue a token for");
            }
            return client.audiences().stream().sorted().toList();
        }
        for (String audience : requested) {
            if (!client.audiences().contains(audience)) {
                throw OAuthException.invalidTarget("audience '" + printable(audience) + "' is not allowed for this client");
            }
        }
        return new ArrayList<>(requested);
    }

    /** RFC 8707 section 2: an absolute URI without a fragment. */
    private static String checkResource(String resource) {
        try {
            URI uri = new URI(resource);
            if (uri.isAbsolute() && uri.getRawFragment() == null) {
                return resource;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw OAuthException.invalidTarget("resource must be an absolute URI without a fragment");
    }

    private static String printable(String value) {
        String trimmed = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return trimmed.replaceAll("[^\\x20-\\x7E]", "?").replace("\"", "'").replace("\\", "/");
    }
}
