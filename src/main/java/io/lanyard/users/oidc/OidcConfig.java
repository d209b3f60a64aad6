package io.lanyard.users.oidc;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * An upstream OpenID provider, with Dex's field names and meanings ({@code config} of a
 * {@code type: oidc} connector).
 *
 * @param redirectUri          Lanyard's {@code /callback} as registered at the upstream (null: not given, the issuer's)
 * @param scopes               asked of the upstream; {@code openid} is always added
 * @param userIdKey            the claim that identifies the person upstream (Dex's userIDKey, {@code sub})
 * @param userNameKey          the claim with their name (Dex's userNameKey, {@code name})
 * @param claimMapping         claims read when the standard one is missing (or always, with overrideClaimMapping)
 * @param promptType           {@code prompt} sent when a refresh token is asked for; Dex's default {@code consent}
 * @param basicAuthUnsupported true: client_secret_post; false: client_secret_basic; null: by the upstream's metadata
 * @param rootCas              PEM certificates to trust for the upstream instead of the JDK's; empty for the JDK's
 * @param allowedGroups        when not empty, only people in one of these upstream groups may log in
 */
public record OidcConfig(String issuer, String clientId, String clientSecret, @Nullable String redirectUri, List<String> scopes,
                         String userIdKey, String userNameKey, boolean insecureSkipEmailVerified,
                         boolean insecureEnableGroups, boolean getUserInfo, ClaimMapping claimMapping,
                         boolean overrideClaimMapping, String promptType, @Nullable Boolean basicAuthUnsupported,
                         List<String> rootCas, boolean insecureSkipVerify, List<String> allowedGroups, Duration timeout) {

    public OidcConfig {
        scopes = List.copyOf(scopes);
        rootCas = List.copyOf(rootCas);
        allowedGroups = List.copyOf(allowedGroups);
    }

    /** Dex's {@code claimMapping}: which claim stands in for each standard one. */
    public record ClaimMapping(String preferredUsername, String email, String groups) {
        public static final ClaimMapping STANDARD = new ClaimMapping("preferred_username", "email", "groups");
    }

    public OidcConfig withRedirectUri(String uri) {
        return new OidcConfig(issuer, clientId, clientSecret, uri, scopes, userIdKey, userNameKey,
                insecureSkipEmailVerified, insecureEnableGroups, getUserInfo, claimMapping, overrideClaimMapping,
                promptType, basicAuthUnsupported, rootCas, insecureSkipVerify, allowedGroups, timeout);
    }

    @Override
    public String toString() {
        return "OidcConfig[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=(hidden)]";
    }
}
