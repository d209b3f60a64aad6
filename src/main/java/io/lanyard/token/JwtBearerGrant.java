package io.lanyard.token;

import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.federation.RejectedTokenException;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.federation.VerifiedExternalToken;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.OAuthException;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 7523 section 2.1: a token of a trusted issuer (a pod's projected service-account token) is
 * the grant, and the client it maps to needs no secret. The access token's subject is that client,
 * as with client credentials; the {@code kubernetes.io} claim records which workload asked.
 */
@Singleton
public class JwtBearerGrant implements GrantHandler {
    private static final String UNMAPPED = "the token's service account is not mapped to a client";

    private final TrustedIssuers trusted;
    private final ClientRegistry clients;
    private final AccessTokenIssuer issuer;

    public JwtBearerGrant(TrustedIssuers trusted, ClientRegistry clients, AccessTokenIssuer issuer) {
        this.trusted = trusted;
        this.clients = clients;
        this.issuer = issuer;
    }

    @Override
    public String grantType() {
        return GrantTypes.JWT_BEARER;
    }

    /** Verifying may fetch the issuer's keys (an unknown kid), which must not hold up the event loop. */
    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public boolean identifiesClient() {
        return true;
    }

    /** The client that authenticated as well, if any, must be the mapped one. */
    @Override
    public IssuedToken handle(GrantRequest request) {
        Client authenticated = request.client();
        String assertion = request.parameter("assertion");
        if (assertion == null) {
            throw OAuthException.invalidRequest("assertion is missing");
        }
        VerifiedExternalToken token;
        try {
            token = trusted.verify(assertion);
        } catch (RejectedTokenException e) {
            throw OAuthException.invalidGrant(e.getMessage());
        }
        Client client = clients.find(token.mappedClientId()).orElse(null);
        // a mapping to a client that is missing or not allowed this grant is answered like no mapping
        if (client == null || !client.allowsGrant(GrantTypes.JWT_BEARER)
                || authenticated != null && !authenticated.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant(UNMAPPED);
        }
        Scope scope = RequestedTargets.scope(client, request);
        List<String> audience = RequestedTargets.audience(client, request);
        return issuer.issue(AccessTokenSpec.of(request, client, client.clientId(), audience, scope)
                .claims(workload(token)));
    }

    /** What the access token records about the workload: the names and uids Kubernetes put in its token. */
    static Map<String, Object> workload(VerifiedExternalToken token) {
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("iss", token.issuer());
        workload.put("sub", token.subject());
        workload.put("namespace", token.namespace());
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("name", token.serviceAccount());
        Object k8s = token.claims().getClaim("kubernetes.io");
        if (k8s instanceof Map<?, ?> original) {
            if (original.get("serviceaccount") instanceof Map<?, ?> sa && sa.get("uid") instanceof String uid) {
                account.put("uid", uid);
            }
            if (original.get("pod") instanceof Map<?, ?> pod && pod.get("name") instanceof String podName) {
                Map<String, Object> podClaim = new LinkedHashMap<>();
                podClaim.put("name", podName);
                if (pod.get("uid") instanceof String podUid) {
                    podClaim.put("uid", podUid);
                }
                workload.put("pod", podClaim);
            }
        }
        workload.put("serviceaccount", account);
        return Map.of("kubernetes.io", workload);
    }
}
