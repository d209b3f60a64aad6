package io.lanyard.clients;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Set;

/**
 * A registered OAuth client.
 *
 * @param secretDigest     {@link ClientSecrets} digest of the secret; null for clients without one
 * @param scopes           scopes it may be granted
 * @param defaultScopes    scopes granted when a request names none
 * @param audiences        audiences (RFC 8707 resources or RFC 8693 audience values) it may ask for
 * @param tokenLifetime    access-token lifetime; null for the server default
 * @param tokenSigningAlg  JWS algorithm of its tokens; null for the server default (RS256)
 * @param source           {@code cli} or {@code config} (owned by the declarative file)
 * @param redirectUris     where authorization responses may go, compared exactly (loopback: any port)
 * @param postLogoutRedirectUris where RP-initiated logout may return the browser
 * @param publicClient     has no secret (kubelogin, a CLI): authenticates with its client_id and PKCE
 * @param idTokenLifetime  id_token lifetime; null for the server default
 */
public record Client(
        String clientId,
        String name,
        @Nullable String secretDigest,
        Set<String> grantTypes,
        Set<String> scopes,
        Set<String> defaultScopes,
        Set<String> audiences,
        @Nullable Duration tokenLifetime,
        @Nullable String tokenSigningAlg,
        String source,
        Set<String> redirectUris,
        Set<String> postLogoutRedirectUris,
        boolean publicClient,
        @Nullable Duration idTokenLifetime) {

    public static final String SOURCE_CLI = "cli";
    public static final String SOURCE_CONFIG = "config";

    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        defaultScopes = Set.copyOf(defaultScopes);
        audiences = Set.copyOf(audiences);
        redirectUris = Set.copyOf(redirectUris);
        postLogoutRedirectUris = Set.copyOf(postLogoutRedirectUris);
    }

    /** A client of the client-credentials kind: no redirects, not public. */
    public Client(String clientId, String name, @Nullable String secretDigest, Set<String> grantTypes,
                  Set<String> scopes, Set<String> defaultScopes, Set<String> audiences,
                  @Nullable Duration tokenLifetime, @Nullable String tokenSigningAlg, String source) {
        this(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, Set.of(), Set.of(), false, null);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public Client withSecretDigest(String digest) {
        return new Client(clientId, name, digest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime);
    }
}
