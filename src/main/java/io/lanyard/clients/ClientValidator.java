package io.lanyard.clients;

import io.lanyard.config.TokenProperties;
import io.lanyard.keys.KeysProperties;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.ScopeSyntax;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The rules a client must meet, wherever it comes from (CLI, declarative file). */
@Singleton
public class ClientValidator {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,127}");
    /** scope-token = 1*NQCHAR, RFC 6749 section 3.3. */
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7E]{1,512}");

    private final Duration maxLifetime;
    private final List<String> algorithms;

    public ClientValidator(TokenProperties tokens, KeysProperties keys) {
        this.maxLifetime = tokens.maxLifetime();
        this.algorithms = keys.algorithms().stream().map(String::trim).toList();
    }

    public void validate(Client c) {
        if (c.clientId() == null || !CLIENT_ID.matcher(c.clientId()).matches()) {
            throw new InvalidClientException("id", "must be 1-128 characters of A-Z a-z 0-9 . _ ~ - and start "
                    + "with a letter or digit");
        }
        if (c.name() == null || c.name().isBlank() || c.name().length() > 255) {
            throw new InvalidClientException("name", "must be 1-255 characters");
        }
        for (String grant : c.grantTypes()) {
            if (!GrantTypes.SUPPORTED.contains(grant)) {
                throw new InvalidClientException("grantTypes", "'" + grant + "' is not a supported grant type "
                        + GrantTypes.SUPPORTED);
            }
        }
        if (c.grantTypes().contains(GrantTypes.CLIENT_CREDENTIALS) && c.secretDigest() == null
                && !c.usesPrivateKeyJwt() && !c.usesMutualTls()) {
            throw new InvalidClientException("secret",
                    "client_credentials needs a client secret, jwks, jwksUri or a TLS client certificate");
        }
        validateKeys(c);
        validateMutualTls(c);
        if (c.publicClient() && c.secretDigest() != null) {
            throw new InvalidClientException("public", "a public client has no secret");
        }
        if (c.grantTypes().contains(GrantTypes.AUTHORIZATION_CODE) && c.redirectUris().isEmpty()) {
            throw new InvalidClientException("redirectUris", "authorization_code needs at least one redirect URI");
        }
        if (c.grantTypes().contains(GrantTypes.REFRESH_TOKEN) && !c.grantTypes().contains(GrantTypes.AUTHORIZATION_CODE)
                && !c.grantTypes().contains(GrantTypes.DEVICE_CODE)) {
            throw new InvalidClientException("grantTypes",
                    "refresh_token is issued only with authorization_code or the device code grant");
        }
        for (String uri : c.redirectUris()) {
            String problem = RedirectUris.problem(uri);
            if (problem != null) {
                throw new InvalidClientException("redirectUris", "'" + uri + "' " + problem);
            }
        }
        for (String uri : c.postLogoutRedirectUris()) {
            String problem = RedirectUris.problem(uri);
            if (problem != null) {
                throw new InvalidClientException("postLogoutRedirectUris", "'" + uri + "' " + problem);
            }
        }
        if (ClientSecrets.EMPTY_DIGEST.equals(c.secretDigest())) {
            throw new InvalidClientException("secretHash", "is the digest of an empty secret");
        }
        if (c.secretDigest() != null && !ClientSecrets.isDigest(c.secretDigest())) {
            throw new InvalidClientException("secretHash", "must be " + ClientSecrets.PREFIX
                    + " followed by the base64url SHA-256 of the secret");
        }
        for (String scope : c.scopes()) {
            if (!ScopeSyntax.isToken(scope)) {
                throw new InvalidClientException("scopes", "'" + scope + "' is not a valid scope token");
            }
        }
        for (String scope : c.defaultScopes()) {
            if (!c.scopes().contains(scope)) {
                throw new InvalidClientException("defaultScopes", "'" + scope + "' is not among the client's scopes");
            }
        }
        for (String audience : c.audiences()) {
            if (!AUDIENCE.matcher(audience).matches()) {
                throw new InvalidClientException("audiences", "'" + audience + "' must be 1-512 visible characters");
            }
        }
        if (c.tokenLifetime() != null
                && (c.tokenLifetime().toSeconds() < 1 || c.tokenLifetime().compareTo(maxLifetime) > 0)) {
            throw new InvalidClientException("tokenLifetime", "must be between 1s and " + maxLifetime.toSeconds()
                    + "s (lanyard.tokens.max-lifetime)");
        }
        if (c.idTokenLifetime() != null
                && (c.idTokenLifetime().toSeconds() < 1 || c.idTokenLifetime().compareTo(maxLifetime) > 0)) {
            throw new InvalidClientException("idTokenLifetime", "must be between 1s and " + maxLifetime.toSeconds()
                    + "s (lanyard.tokens.max-lifetime)");
        }
        if (c.tokenSigningAlg() != null && !algorithms.contains(c.tokenSigningAlg())) {
            throw new InvalidClientException("tokenSigningAlg", "must be one of the configured algorithms "
                    + algorithms + " (lanyard.keys.algorithms)");
        }
    }

    /** RFC 8705 section 2: one method, and for tls_client_auth exactly one name (section 2.1.2). */
    private static void validateMutualTls(Client c) {
        MutualTls tls = c.mutualTls();
        if (tls == null) {
            return;
        }
        if (!MutualTls.METHODS.contains(tls.method())) {
            throw new InvalidClientException("tokenEndpointAuthMethod", "must be one of " + MutualTls.METHODS);
        }
        if (c.secretDigest() != null || c.usesPrivateKeyJwt() || c.publicClient()) {
            throw new InvalidClientException("tokenEndpointAuthMethod", "a client authenticating with its TLS "
                    + "certificate has no secret, no keys and is not public");
        }
        int names = (tls.subjectDn() == null ? 0 : 1) + (tls.sanDns() == null ? 0 : 1) + (tls.sanUri() == null ? 0 : 1);
        if (tls.selfSigned()) {
            if (names != 0) {
                throw new InvalidClientException("tokenEndpointAuthMethod", "self_signed_tls_client_auth matches the "
                        + "registered certificate, not a subject DN or SAN");
            }
            if (tls.certificateX5t() == null || !tls.certificateX5t().matches("[A-Za-z0-9_-]{43}")) {
                throw new InvalidClientException("tlsClientCertificate", "self_signed_tls_client_auth needs the "
                        + "client's certificate (PEM) or its x5t#S256 thumbprint (43 base64url characters)");
            }
            return;
        }
        if (names != 1) {
            throw new InvalidClientException("tokenEndpointAuthMethod", "tls_client_auth needs exactly one of "
                    + "tlsClientAuthSubjectDn, tlsClientAuthSanDns, tlsClientAuthSanUri");
        }
        if (tls.certificateX5t() != null) {
            throw new InvalidClientException("tlsClientCertificate", "only self_signed_tls_client_auth registers a certificate");
        }
        if (tls.subjectDn() != null) {
            try {
                MutualTls.canonical(tls.subjectDn());
            } catch (IllegalArgumentException e) {
                throw new InvalidClientException("tlsClientAuthSubjectDn", "'" + tls.subjectDn() + "' is not a distinguished name");
            }
        }
    }

    /** private_key_jwt: one source of keys, no secret beside it, and only public keys. */
    private static void validateKeys(Client c) {
        if (c.jwks() != null && c.jwksUri() != null) {
            throw new InvalidClientException("jwks", "give jwks or jwksUri, not both");
        }
        if (c.usesPrivateKeyJwt() && c.secretDigest() != null) {
            throw new InvalidClientException("jwks", "a client authenticating with private_key_jwt has no secret");
        }
        if (c.usesPrivateKeyJwt() && c.publicClient()) {
            throw new InvalidClientException("public", "a public client has no keys");
        }
        if (c.jwks() != null) {
            if (c.jwks().length() > ClientKeys.MAX_JWKS_CHARS) {
                throw new InvalidClientException("jwks", "is longer than " + ClientKeys.MAX_JWKS_CHARS + " characters");
            }
            try {
                ClientKeys.parse(c.jwks());
            } catch (IllegalArgumentException e) {
                throw new InvalidClientException("jwks", e.getMessage());
            }
        }
        if (c.jwksUri() != null) {
            String problem = c.jwksUri().length() > 2048 ? "is longer than 2048 characters"
                    : ClientKeys.uriProblem(c.jwksUri());
            if (problem != null) {
                throw new InvalidClientException("jwksUri", "'" + c.jwksUri() + "' " + problem);
            }
        }
    }

    /** A client that breaks a rule; {@code field} is the name used in the declarative file. */
    public static final class InvalidClientException extends RuntimeException {
        private final String field;

        public InvalidClientException(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
