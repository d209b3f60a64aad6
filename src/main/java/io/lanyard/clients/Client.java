package io.lanyard.clients;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;
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
 * @param accessTokenTyp   the {@code typ} header of its access tokens: {@code at+jwt}, or none for verifiers
 *                         that refuse it
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
        @Nullable MutualTls mutualTls,
        AccessTokenTyp accessTokenTyp) {

    public static final String SOURCE_CLI = "cli";
    public static final String SOURCE_CONFIG = "config";

    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        defaultScopes = Set.copyOf(defaultScopes);
        audiences = Set.copyOf(audiences);
        redirectUris = Set.copyOf(redirectUris);
        postLogoutRedirectUris = Set.copyOf(postLogoutRedirectUris);
        Objects.requireNonNull(accessTokenTyp, "accessTokenTyp");
    }

    /** A client of the client-credentials kind until told otherwise: no redirects, not public, no keys. */
    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    /** This client's fields, to change some and build a new one. */
    public Builder toBuilder() {
        return new Builder(clientId).name(name).secretDigest(secretDigest).grantTypes(grantTypes).scopes(scopes)
                .defaultScopes(defaultScopes).audiences(audiences).tokenLifetime(tokenLifetime)
                .tokenSigningAlg(tokenSigningAlg).source(source).redirectUris(redirectUris)
                .postLogoutRedirectUris(postLogoutRedirectUris).publicClient(publicClient)
                .idTokenLifetime(idTokenLifetime).jwks(jwks).jwksUri(jwksUri).mutualTls(mutualTls)
                .accessTokenTyp(accessTokenTyp);
    }

    /** Authenticates with a signed JWT (RFC 7523 section 2.2) rather than a secret. */
    public boolean usesPrivateKeyJwt() {
        return jwks != null || jwksUri != null;
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public Client withSecretDigest(String digest) {
        return toBuilder().secretDigest(digest).build();
    }

    public Client withKeys(@Nullable String newJwks, @Nullable String newJwksUri) {
        return toBuilder().jwks(newJwks).jwksUri(newJwksUri).build();
    }

    public Client withMutualTls(@Nullable MutualTls newMutualTls) {
        return toBuilder().mutualTls(newMutualTls).build();
    }

    /** Authenticates with its TLS certificate (RFC 8705 section 2). */
    public boolean usesMutualTls() {
        return mutualTls != null;
    }

    /** Named fields instead of eighteen positional ones; unset sets are empty, unset options null. */
    public static final class Builder {
        private String clientId;
        private String name;
        private String secretDigest;
        private Set<String> grantTypes = Set.of();
        private Set<String> scopes = Set.of();
        private Set<String> defaultScopes = Set.of();
        private Set<String> audiences = Set.of();
        private Duration tokenLifetime;
        private String tokenSigningAlg;
        private String source = SOURCE_CLI;
        private Set<String> redirectUris = Set.of();
        private Set<String> postLogoutRedirectUris = Set.of();
        private boolean publicClient;
        private Duration idTokenLifetime;
        private String jwks;
        private String jwksUri;
        private MutualTls mutualTls;
        private AccessTokenTyp accessTokenTyp = AccessTokenTyp.AT_JWT;

        private Builder(String clientId) {
            this.clientId = clientId;
            this.name = clientId;
        }

        /** A copy under another id, e.g. a second client registered like the first. */
        public Builder clientId(String value) {
            clientId = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder secretDigest(@Nullable String value) {
            secretDigest = value;
            return this;
        }

        public Builder grantTypes(Set<String> value) {
            grantTypes = value;
            return this;
        }

        public Builder scopes(Set<String> value) {
            scopes = value;
            return this;
        }

        public Builder defaultScopes(Set<String> value) {
            defaultScopes = value;
            return this;
        }

        public Builder audiences(Set<String> value) {
            audiences = value;
            return this;
        }

        public Builder tokenLifetime(@Nullable Duration value) {
            tokenLifetime = value;
            return this;
        }

        public Builder tokenSigningAlg(@Nullable String value) {
            tokenSigningAlg = value;
            return this;
        }

        public Builder source(String value) {
            source = value;
            return this;
        }

        public Builder redirectUris(Set<String> value) {
            redirectUris = value;
            return this;
        }

        public Builder postLogoutRedirectUris(Set<String> value) {
            postLogoutRedirectUris = value;
            return this;
        }

        public Builder publicClient(boolean value) {
            publicClient = value;
            return this;
        }

        public Builder idTokenLifetime(@Nullable Duration value) {
            idTokenLifetime = value;
            return this;
        }

        public Builder jwks(@Nullable String value) {
            jwks = value;
            return this;
        }

        public Builder jwksUri(@Nullable String value) {
            jwksUri = value;
            return this;
        }

        public Builder mutualTls(@Nullable MutualTls value) {
            mutualTls = value;
            return this;
        }

        public Builder accessTokenTyp(AccessTokenTyp value) {
            accessTokenTyp = value;
            return this;
        }

        public Client build() {
            return new Client(clientId, name, secretDigest, grantTypes, scopes, defaultScopes, audiences,
                    tokenLifetime, tokenSigningAlg, source, redirectUris, postLogoutRedirectUris, publicClient,
                    idTokenLifetime, jwks, jwksUri, mutualTls, accessTokenTyp);
        }
    }
}
