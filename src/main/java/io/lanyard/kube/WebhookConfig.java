package io.lanyard.kube;

import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.IssuerUrl;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubeconfig kube-apiserver reads for {@code --authentication-token-webhook-config-file}: the
 * cluster entry is Lanyard's TokenReview endpoint, the user entry is how the apiserver proves it is
 * the cluster's client (a bearer token, or a TLS client certificate).
 */
public final class WebhookConfig {

    /** @param token the client's secret as a bearer token; null when a certificate is used */
    public record Caller(String clientId, @Nullable String token, @Nullable String certificatePath,
                         @Nullable String keyPath) {
        @Override
        public String toString() {
            return "Caller[" + clientId + "]";
        }
    }

    private WebhookConfig() {
    }

    public static Map<String, Object> kubeconfig(String issuer, @Nullable String caPem, Caller caller) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", IssuerUrl.endpoint(issuer, Endpoints.TOKEN_REVIEW));
        if (caPem != null) {
            cluster.put("certificate-authority-data",
                    Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
        }
        Map<String, Object> user = new LinkedHashMap<>();
        if (caller.token() != null) {
            user.put("token", caller.token());
        } else {
            user.put("client-certificate", caller.certificatePath());
            user.put("client-key", caller.keyPath());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(Map.of("name", "lanyard", "cluster", cluster)));
        config.put("users", List.of(Map.of("name", caller.clientId(), "user", user)));
        config.put("contexts", List.of(Map.of("name", "webhook", "context",
                Map.of("cluster", "lanyard", "user", caller.clientId()))));
        config.put("current-context", "webhook");
        return config;
    }
}
