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
        String source) {

    public static final String SOURCE_CLI = "cli";
    public static final String SOURCE_CONFIG = "config";

    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        defaultScopes = Set.copyOf(defaultScopes);
        audiences = Set.copyOf(audiences);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public Client withSecretDigest(String digest) {
        return new Client(clientId, name, digest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source);
    }
}
