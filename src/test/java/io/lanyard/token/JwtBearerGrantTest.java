package io.lanyard.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.clients.Client;
import io.lanyard.federation.TrustedIssuer;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link JwtBearerGrant} called directly with service-account tokens of a cluster whose keys are in a
 * JWKS file: the mapped client is the subject, the workload is recorded, everything else is refused.
 */
class JwtBearerGrantTest {
    private static final String CLUSTER = "https://kubernetes.default.svc.cluster.local";
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final JwtBearerGrant GRANT = FIXTURE.bean(JwtBearerGrant.class);
    private static final RSAKey CLUSTER_KEY = clusterTrusted();
    private static final Client INVOICER = FIXTURE.register(Client.builder("billing-invoicer")
            .grantTypes(Set.of(GrantTypes.JWT_BEARER))
            .scopes(Set.of("invoices.write"))
            .defaultScopes(Set.of("invoices.write"))
            .audiences(Set.of("ledger"))
            .build());
    private static final Client REPORTS = FIXTURE.register(Client.builder("reports")
            .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
            .audiences(Set.of("reports"))
            .build());

    /** The cluster's signing key, its public half in a JWKS file that Lanyard trusts. */
    private static RSAKey clusterTrusted() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("sa-1").generate();
            Path jwks = Files.createTempFile("cluster-jwks", ".json");
            Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
            FIXTURE.bean(TrustedIssuers.class).configure(List.of(new TrustedIssuer(CLUSTER,
                    TrustedIssuer.KeySource.JWKS_FILE, jwks.toString(), Set.of(JWSAlgorithm.RS256), "lanyard", null,
                    List.of(new TrustedIssuer.ServiceAccountRule("billing", "invoicer", "billing-invoicer"),
                            new TrustedIssuer.ServiceAccountRule("reports", "*", "reports")))));
            return key;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serviceAccountToken(String namespace, String account, String audience) throws Exception {
        Instant now = FIXTURE.clock().instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("sa-1").type(JOSEObjectType.JWT)
                .build(), new JWTClaimsSet.Builder()
                .issuer(CLUSTER)
                .subject("system:serviceaccount:" + namespace + ":" + account)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "serviceaccount", Map.of("name", account, "uid", "sa-uid"),
                        "pod", Map.of("name", account + "-pod", "uid", "pod-uid")))
                .build());
        jwt.sign(new RSASSASigner(CLUSTER_KEY));
        return jwt.serialize();
    }

    private static GrantRequest bearer(Client authenticated, String assertion) {
        return GrantRequest.of(GrantTypes.JWT_BEARER, authenticated, form("assertion", assertion));
    }

    @Test
    void aMappedServiceAccountGetsItsClientsTokenWithoutAnySecret() throws Exception {
        IssuedToken issued = GRANT.handle(bearer(null, serviceAccountToken("billing", "invoicer", "lanyard")));
        JWTClaimsSet claims = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals("billing-invoicer", claims.getSubject());
        assertEquals(List.of("ledger"), claims.getAudience());
        assertEquals("invoices.write", claims.getStringClaim("scope"));
        Map<String, Object> workload = claims.getJSONObjectClaim("kubernetes.io");
        assertEquals("billing", workload.get("namespace"));
        assertEquals(Map.of("name", "invoicer", "uid", "sa-uid"), workload.get("serviceaccount"));
        assertEquals(Map.of("name", "invoicer-pod", "uid", "pod-uid"), workload.get("pod"));
    }

    @Test
    void theClientThatAuthenticatedMustBeTheMappedOne() throws Exception {
        String token = serviceAccountToken("billing", "invoicer", "lanyard");
        assertEquals("billing-invoicer", FIXTURE.verify(GRANT.handle(bearer(INVOICER, token)).accessToken(),
                TokenKind.ACCESS_TOKEN).getSubject());
        assertEquals("invalid_grant", refusal(GRANT, bearer(REPORTS, token)));
    }

    @Test
    void unmappedForeignOrMisdirectedTokensAreRefused() throws Exception {
        assertEquals("invalid_grant", refusal(GRANT, bearer(null, serviceAccountToken("billing", "intruder",
                "lanyard"))));
        // mapped, but to a client that may not use this GRANT
        assertEquals("invalid_grant", refusal(GRANT, bearer(null, serviceAccountToken("reports", "builder",
                "lanyard"))));
        assertEquals("invalid_grant", refusal(GRANT, bearer(null, serviceAccountToken("billing", "invoicer",
                "someone-else"))));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("sa-1").generate();
        SignedJWT forged = SignedJWT.parse(serviceAccountToken("billing", "invoicer", "lanyard"));
        SignedJWT resigned = new SignedJWT(forged.getHeader(), forged.getJWTClaimsSet());
        resigned.sign(new RSASSASigner(stranger));
        assertEquals("invalid_grant", refusal(GRANT, bearer(null, resigned.serialize())));
        assertEquals("invalid_request", refusal(GRANT, GrantRequest.of(GrantTypes.JWT_BEARER, null, form())));
    }
}
