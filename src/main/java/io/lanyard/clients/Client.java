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
 * @param jwks             inline JWK set (public keys only) for {@code private_key_jwt}; null if none
 * @param jwksUri          where its JWK set is published for {@code private_key_jwt}; null if none
 * @param mutualTls        how it authenticates with a TLS certificate (RFC 8705); null if it does not
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
        @Nullable Duration idTokenLifetime,
        @Nullable String jwks,
        @Nullable String jwksUri,
        @Nullable MutualTls mutualTls) {

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

    /** A client without a TLS certificate: a secret, keys for private_key_jwt, or none (public). */
    public Client(String clientId, String name, @Nullable String secretDigest, Set<String> grantTypes,
                  Set<String> scopes, Set<String> defaultScopes, Set<String> audiences,
                  @Nullable Duration tokenLifetime, @Nullable String tokenSigningAlg, String source,
                  Set<String> redirectUris, Set<String> postLogoutRedirectUris, boolean publicClient,
                  @Nullable Duration idTokenLifetime, @Nullable String jwks, @Nullable String jwksUri) {
        this(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime,
                jwks, jwksUri, null);
    }

    /** A client without keys: it authenticates with a secret, or not at all (public). */
    public Client(String clientId, String name, @Nullable String secretDigest, Set<String> grantTypes,
                  Set<String> scopes, Set<String> defaultScopes, Set<String> audiences,
                  @Nullable Duration tokenLifetime, @Nullable String tokenSigningAlg, String source,
                  Set<String> redirectUris, Set<String> postLogoutRedirectUris, boolean publicClient,
                  @Nullable Duration idTokenLifetime) {
        this(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime,
                null, null);
    }

    /** A client of the client-credentials kind: no redirects, not public. */
    public Client(String clientId, String name, @Nullable String secretDigest, Set<String> grantTypes,
                  Set<String> scopes, Set<String> defaultScopes, Set<String> audiences,
                  @Nullable Duration tokenLifetime, @Nullable String tokenSigningAlg, String source) {
        this(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, Set.of(), Set.of(), false, null, null, null, null);
    }

    /** Authenticates with a signed JWT (RFC 7523 section 2.2) rather than a secret. */
    public boolean usesPrivateKeyJwt() {
        return jwks != null || jwksUri != null;
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public Client withSecretDigest(String digest) {
        return new Client(clientId, name, digest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime, jwks, jwksUri,
                mutualTls);
    }

    public Client withKeys(@Nullable String newJwks, @Nullable String newJwksUri) {
        return new Client(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime,
                newJwks, newJwksUri, mutualTls);
    }

    public Client withMutualTls(@Nullable MutualTls newMutualTls) {
        return new Client(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences, tokenLifetime,
                tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient, idTokenLifetime,
                jwks, jwksUri, newMutualTls);
    }

    /** Authenticates with its TLS certificate (RFC 8705 section 2). */
    public boolean usesMutualTls() {
        return mutualTls != null;
    }
}
