package io.lanyard.discovery;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.ClientAssertionVerifier;
import io.lanyard.oauth.ClientAuthMethods;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.IssuerUrl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 and OpenID Connect Discovery metadata, naming only what this build implements. Built
 * once at start: the documents cannot change while the process runs.
 */
public final class ProviderMetadata {
    /** Scopes with a meaning here; clients may be given others (API scopes) as well. */
    public static final List<String> SCOPES = List.of("openid", "profile", "email", "groups", "offline_access");

    private final String authorizationServer;
    private final String openidConfiguration;

    public ProviderMetadata(String issuer, List<JWSAlgorithm> signingAlgorithms) {
        this(issuer, signingAlgorithms, List.of());
    }

    /**
     * @param mutualTlsMethods the RFC 8705 client authentication methods that work here: none
     *                         unless Lanyard itself terminates TLS (it must see the certificate)
     */
    public ProviderMetadata(String issuer, List<JWSAlgorithm> signingAlgorithms, List<String> mutualTlsMethods) {
        String base = IssuerUrl.base(issuer);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", base + Endpoints.AUTHORIZE);
        metadata.put("token_endpoint", base + Endpoints.TOKEN);
        metadata.put("jwks_uri", base + Endpoints.JWKS);
        metadata.put("scopes_supported", SCOPES);
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("grant_types_supported", GrantTypes.SUPPORTED.stream().sorted().toList());
        List<String> authMethods = new ArrayList<>(ClientAuthMethods.WITHOUT_TLS);
        authMethods.addAll(mutualTlsMethods);
        metadata.put("token_endpoint_auth_methods_supported", authMethods);
        metadata.put("token_endpoint_auth_signing_alg_values_supported",
                ClientAssertionVerifier.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList());
        metadata.put("introspection_endpoint", base + Endpoints.INTROSPECT);
        // RFC 7662 2.1: introspection is for confidential clients; any client may revoke its own tokens
        metadata.put("introspection_endpoint_auth_methods_supported",
                authMethods.stream().filter(method -> !ClientAuthMethods.NONE.equals(method)).toList());
        metadata.put("revocation_endpoint", base + Endpoints.REVOKE);
        metadata.put("revocation_endpoint_auth_methods_supported", authMethods);
        metadata.put("device_authorization_endpoint", base + Endpoints.DEVICE_AUTHORIZATION);
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        if (!mutualTlsMethods.isEmpty()) {
            // RFC 8705 section 3.3
            metadata.put("tls_client_certificate_bound_access_tokens", true);
        }
        this.authorizationServer = JSONObjectUtils.toJSONString(metadata);

        Map<String, Object> oidc = new LinkedHashMap<>(metadata);
        oidc.put("userinfo_endpoint", base + Endpoints.USERINFO);
        oidc.put("end_session_endpoint", base + Endpoints.LOGOUT);
        oidc.put("subject_types_supported", List.of("public"));
        oidc.put("id_token_signing_alg_values_supported", signingAlgorithms.stream().map(JWSAlgorithm::getName).toList());
        oidc.put("claims_supported", List.of("iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "at_hash",
                "name", "preferred_username", "email", "email_verified", "groups"));
        oidc.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        oidc.put("claims_parameter_supported", false);
        oidc.put("request_parameter_supported", false);
        oidc.put("request_uri_parameter_supported", false);
        this.openidConfiguration = JSONObjectUtils.toJSONString(oidc);
    }

    public String authorizationServer() {
        return authorizationServer;
    }

    public String openidConfiguration() {
        return openidConfiguration;
    }
}
