package io.lanyard.discovery;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.token.GrantTypes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 and OpenID Connect Discovery metadata, naming only what this build implements. Built
 * once at start: the documents cannot change while the process runs.
 */
public final class ProviderMetadata {
    private final String authorizationServer;
    private final String openidConfiguration;

    public ProviderMetadata(String issuer, List<JWSAlgorithm> signingAlgorithms) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", base + Endpoints.TOKEN);
        metadata.put("jwks_uri", base + Endpoints.JWKS);
        metadata.put("grant_types_supported", GrantTypes.SUPPORTED.stream().sorted().toList());
        metadata.put("response_types_supported", List.of());
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        this.authorizationServer = JSONObjectUtils.toJSONString(metadata);

        Map<String, Object> oidc = new LinkedHashMap<>(metadata);
        oidc.put("subject_types_supported", List.of("public"));
        oidc.put("id_token_signing_alg_values_supported", signingAlgorithms.stream().map(JWSAlgorithm::getName).toList());
        this.openidConfiguration = JSONObjectUtils.toJSONString(oidc);
    }

    public String authorizationServer() {
        return authorizationServer;
    }

    public String openidConfiguration() {
        return openidConfiguration;
    }
}
