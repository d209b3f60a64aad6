package io.lanyard.token;

import io.lanyard.clients.Client;
import io.lanyard.oauth.Parameters;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * One token request as its grant handler sees it: the grant type, the client that authenticated,
 * the TLS certificate it authenticated with, and the form parameters. No HTTP types: the endpoint
 * has read everything it needs from the connection.
 *
 * @param client                the authenticated client; null only for a grant that names the client
 *                              itself ({@link GrantHandler#identifiesClient()}) when none authenticated
 * @param certificateThumbprint RFC 8705 {@code x5t#S256} of the TLS client certificate presented,
 *                              or null, for certificate-bound access tokens
 */
public record GrantRequest(String grantType, @Nullable Client client, @Nullable String certificateThumbprint,
                           Map<String, List<String>> parameters) {
    public GrantRequest {
        parameters = Map.copyOf(parameters);
    }

    /** A request without a TLS client certificate. */
    public static GrantRequest of(String grantType, @Nullable Client client, Map<String, List<String>> parameters) {
        return new GrantRequest(grantType, client, null, parameters);
    }

    /** The parameter's one value; empty counts as absent (RFC 6749 section 3.2). */
    public @Nullable String parameter(String name) {
        return Parameters.single(parameters, name);
    }

    /** Every non-empty value of a parameter that may repeat ({@code resource}, {@code audience}). */
    public List<String> all(String name) {
        return Parameters.all(parameters, name);
    }
}
