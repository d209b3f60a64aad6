package io.lanyard.federation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.admin.ConfigFileException;
import io.lanyard.admin.ConfigFileParser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kubernetes service-account tokens exchanged for access tokens with the RFC 7523 jwt-bearer grant,
 * against the real server: the test plays the clusters' issuers.
 */
class FederationEndToEndTest {
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String FILE_ISSUER = "https://file-cluster.example.com";

    static TestIssuer cluster;
    static TestIssuer slow;
    static TestIssuer huge;
    static RSAKey fileKey = TestIssuer.newKey("file-key");
    static LanyardServer server;
    static MutableClock clock;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestIssuer(Duration.ZERO);
        slow = new TestIssuer(Duration.ofSeconds(8));
        huge = new TestIssuer(Duration.ZERO);
        // a valid JWKS with its key, padded past the 512 KiB limit
        huge.jwksBody = "{\"pad\":\"" + "x".repeat(600 * 1024) + "\",\"keys\":[" + huge.key.toPublicJWK() + "]}";
        Path dir = Files.createTempDirectory("lanyard-fed");
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(fileKey.toPublicJWK()).toString());
        Path config = dir.resolve("lanyard.yaml");
        Files.writeString(config, """
                clients:
                  - id: billing-invoicer
                    grantTypes: [urn:ietf:params:oauth:grant-type:jwt-bearer, urn:ietf:params:oauth:grant-type:token-exchange]
                    scopes: [invoices.write, invoices.read]
                    defaultScopes: [invoices.write]
                    audiences: [billing, ledger]
                  - id: reports
                    grantTypes: [urn:ietf:params:oauth:grant-type:jwt-bearer]
                    audiences: [reports]
                  - id: payments
                    grantTypes: [client_credentials, urn:ietf:params:oauth:grant-type:token-exchange,
                                 urn:ietf:params:oauth:grant-type:jwt-bearer]
                    audiences: [payments]
                    secretFromEnv: LANYARD_TEST_CLIENT_SECRET
                tokenExchange:
                  - client: payments
                    audiences: [ledger]
                    impersonation: true
                    subjectIssuers: [%s]
                  - client: billing-invoicer      # no secret: it authenticates with its pod's token
                    audiences: [ledger]
                    impersonation: true
                    subjectIssuers: [%s]
                trustedIssuers:
                  - issuer: %s
                    audience: lanyard
                    maxTokenAge: 2h
                    serviceAccounts:
                      - {namespace: billing, serviceAccount: invoicer, client: billing-invoicer}
                      - {namespace: reports, serviceAccount: "*", client: reports}
                      - {namespace: payments, serviceAccount: api, client: payments}
                  - issuer: %s
                    jwksUri: %s/openid/v1/jwks
                    audience: lanyard
                    serviceAccounts:
                      - {namespace: billing, serviceAccount: invoicer, client: billing-invoicer}
                  - issuer: %s
                    audience: lanyard
                    serviceAccounts:
                      - {namespace: billing, serviceAccount: invoicer, client: billing-invoicer}
                  - issuer: %s
                    jwksFile: jwks.json
                    audience: lanyard
                    serviceAccounts:
                      - {namespace: reports, serviceAccount: builder, client: reports}
                """.formatted(cluster.issuer(), cluster.issuer(), cluster.issuer(), slow.issuer(), slow.issuer(), huge.issuer(), FILE_ISSUER));
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshPostgres());
        props.put("lanyard.test.mutable-clock", "true");
        props.put("lanyard.config", config.toString());
        props.put("lanyard.federation.fetch-timeout", "2s");
        server = LanyardServer.start(props);
        clock = server.bean(MutableClock.class);
    }

    @AfterAll
    static void stop() {
        server.close();
        cluster.close();
        slow.close();
        huge.close();
    }

    static HttpResponse<String> exchange(String assertion, String extra) {
        return server.postForm("/token", "grant_type=" + enc(JWT_BEARER) + "&assertion=" + enc(assertion) + extra);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static JWTClaimsSet.Builder claims(String namespace, String account) {
        return TestIssuer.claims(cluster.issuer(), "lanyard", namespace, account, clock.instant());
    }

    static void refused(HttpResponse<String> response, String description) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals("invalid_grant", body.get("error"));
        assertEquals(description, body.get("error_description"));
    }

    @Test
    void aServiceAccountTokenBecomesAnAccessTokenForTheMappedClient() throws Exception {
        HttpResponse<String> response = exchange(cluster.sign(claims("billing", "invoicer").build()),
                "&scope=invoices.read&audience=ledger");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals("Bearer", body.get("token_type"));
        assertEquals("invoices.read", body.get("scope"));

        JWTClaimsSet token = new RemoteVerifier(server.issuer(), "ledger").verify((String) body.get("access_token"));
        assertEquals("billing-invoicer", token.getSubject());
        assertEquals("billing-invoicer", token.getStringClaim("client_id"));
        assertEquals(List.of("ledger"), token.getAudience());
        Map<String, Object> k8s = token.getJSONObjectClaim("kubernetes.io");
        assertEquals(cluster.issuer(), k8s.get("iss"));
        assertEquals("system:serviceaccount:billing:invoicer", k8s.get("sub"));
        assertEquals("billing", k8s.get("namespace"));
        assertEquals(Map.of("name", "invoicer", "uid", "0b8a2f3c-sa"), k8s.get("serviceaccount"));
        assertEquals(Map.of("name", "invoicer-7d9f8-x2x4q", "uid", "5e1c-pod"), k8s.get("pod"));
    }

    @Test
    void defaultsFollowTheClientAndAWildcardCoversANamespace() throws Exception {
        HttpResponse<String> response = exchange(cluster.sign(claims("reports", "anything").build()), "");
        assertEquals(200, response.statusCode(), response.body());
        JWTClaimsSet token = new RemoteVerifier(server.issuer(), "reports")
                .verify((String) JSONObjectUtils.parse(response.body()).get("access_token"));
        assertEquals("reports", token.getSubject());
    }

    @Test
    void scopeAndAudienceFollowTheClientCredentialsRules() throws Exception {
        HttpResponse<String> response = exchange(cluster.sign(claims("billing", "invoicer").build()), "&scope=admin");
        assertEquals(400, response.statusCode());
        assertEquals("invalid_scope", JSONObjectUtils.parse(response.body()).get("error"));
        response = exchange(cluster.sign(claims("billing", "invoicer").build()), "&audience=reports");
        assertEquals("invalid_target", JSONObjectUtils.parse(response.body()).get("error"));
    }

    @Test
    void theStaticJwksFileSourceWorks() throws Exception {
        String token = TestIssuer.sign(fileKey,
                TestIssuer.claims(FILE_ISSUER, "lanyard", "reports", "builder", clock.instant()).build());
        HttpResponse<String> response = exchange(token, "");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void refusesWrongAudienceExpiredAndUnknownIssuer() throws Exception {
        refused(exchange(cluster.sign(claims("billing", "invoicer").audience("kubernetes").build()), ""),
                "the token is not intended for this server (aud)");
        Instant past = clock.instant().minusSeconds(7200);
        refused(exchange(cluster.sign(claims("billing", "invoicer").issueTime(Date.from(past))
                        .notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(3600))).build()), ""),
                "the token has expired");
        refused(exchange(cluster.sign(claims("billing", "invoicer").expirationTime(null).build()), ""),
                "the token has no expiry (exp)");
        refused(exchange(cluster.sign(claims("billing", "invoicer").issuer("https://other.example.com").build()), ""),
                "the token's issuer is not trusted");
        Instant old = clock.instant().minusSeconds(3 * 3600);
        refused(exchange(cluster.sign(claims("billing", "invoicer").issueTime(Date.from(old)).build()), ""),
                "the token is too old (iat)");
        refused(exchange(cluster.sign(claims("billing", "invoicer")
                        .notBeforeTime(Date.from(clock.instant().plusSeconds(300))).build()), ""),
                "the token is not valid yet (nbf)");
    }

    @Test
    void refusesServiceAccountsThatAreNotMapped() throws Exception {
        String unmapped = "the token's service account is not mapped to a client";
        refused(exchange(cluster.sign(claims("default", "invoicer").build()), ""), unmapped);
        refused(exchange(cluster.sign(claims("billing", "default").build()), ""), unmapped);
        refused(exchange(cluster.sign(claims("billing", "invoicer").subject("alice").build()), ""),
                "the token's subject is not a Kubernetes service account");
        refused(exchange(cluster.sign(claims("billing", "invoicer")
                        .claim("kubernetes.io", Map.of("namespace", "other", "serviceaccount", Map.of("name", "invoicer")))
                        .build()), ""),
                "the token's kubernetes.io claim does not match its subject");
    }

    @Test
    void refusesForgedSignatures() throws Exception {
        String bad = "the token's signature does not verify";
        // another key that claims the issuer's kid
        RSAKey impostor = TestIssuer.newKey(cluster.key.getKeyID());
        refused(exchange(TestIssuer.sign(impostor, claims("billing", "invoicer").build()), ""), bad);

        // a key named in the token itself (jwk, jku) is never used
        SignedJWT embedded = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("x")
                .jwk(impostor.toPublicJWK()).jwkURL(URI.create(cluster.issuer() + "/attacker")).build(),
                claims("billing", "invoicer").build());
        embedded.sign(new com.nimbusds.jose.crypto.RSASSASigner(impostor));
        refused(exchange(embedded.serialize(), ""), bad);

        // alg none
        String payload = Base64URL.encode(claims("billing", "invoicer").build().toString()).toString();
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString() + "." + payload + ".";
        refused(exchange(none, ""), "the token is not a signed JWT");

        // HS256 keyed with the issuer's public key, the classic algorithm-confusion forgery
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(cluster.key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims("billing", "invoicer").build());
        hmac.sign(new MACSigner(cluster.key.toRSAPublicKey().getEncoded()));
        refused(exchange(hmac.serialize(), ""), "the token's signature algorithm is not accepted");
    }

    @Test
    void anUnknownKidIsFetchedAtMostOncePerInterval() throws Exception {
        RSAKey next = TestIssuer.newKey("sa-key-2");
        String bad = "the token's signature does not verify";
        clock.advance(Duration.ofSeconds(61));
        int before = cluster.jwksFetches.get();
        refused(exchange(TestIssuer.sign(next, claims("billing", "invoicer").build()), ""), bad);
        assertEquals(before + 1, cluster.jwksFetches.get(), "an unknown kid refetches the JWKS");
        refused(exchange(TestIssuer.sign(next, claims("billing", "invoicer").build()), ""), bad);
        assertEquals(before + 1, cluster.jwksFetches.get(), "but not again within the interval");

        // the cluster rotates its key: accepted once the interval has passed
        cluster.published.add(next.toPublicJWK());
        refused(exchange(TestIssuer.sign(next, claims("billing", "invoicer").build()), ""), bad);
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> response = exchange(TestIssuer.sign(next, claims("billing", "invoicer").build()), "");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(before + 2, cluster.jwksFetches.get());
        // the old key still works, without another fetch
        assertEquals(200, exchange(cluster.sign(claims("billing", "invoicer").build()), "").statusCode());
        assertEquals(before + 2, cluster.jwksFetches.get());
    }

    @Test
    void aSlowIssuerDoesNotDelayAnother() throws Exception {
        String slowToken = TestIssuer.sign(slow.key,
                TestIssuer.claims(slow.issuer(), "lanyard", "billing", "invoicer", clock.instant()).build());
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> exchange(slowToken, ""));
        Thread.sleep(300);
        // a fresh key for the fast issuer, so its request needs a fetch of its own too
        clock.advance(Duration.ofSeconds(61));
        RSAKey fresh = TestIssuer.newKey("sa-key-fast");
        cluster.published.add(fresh.toPublicJWK());
        long fastStart = System.nanoTime();
        HttpResponse<String> fast = exchange(TestIssuer.sign(fresh, claims("billing", "invoicer").build()), "");
        long fastMillis = (System.nanoTime() - fastStart) / 1_000_000;
        assertEquals(200, fast.statusCode(), fast.body());
        assertTrue(fastMillis < 1500, "the fast issuer's request took " + fastMillis + " ms");
        assertFalse(waiting.isDone(), "the slow issuer's request is still waiting for its keys");

        // the slow issuer's fetch times out (2 s here) and its token is refused, not left hanging
        HttpResponse<String> slowAnswer = waiting.get();
        long slowMillis = (System.nanoTime() - started) / 1_000_000;
        refused(slowAnswer, "the token's signature does not verify");
        assertTrue(slowMillis < 6000, "the slow request took " + slowMillis + " ms");
    }

    @Test
    void anOversizedJwksIsNotRead() throws Exception {
        String token = TestIssuer.sign(huge.key,
                TestIssuer.claims(huge.issuer(), "lanyard", "billing", "invoicer", clock.instant()).build());
        refused(exchange(token, ""), "the token's signature does not verify");
        assertEquals(1, huge.jwksFetches.get());
    }

    @Test
    void discoveryAdvertisesTheGrant() throws Exception {
        Map<String, Object> metadata = JSONObjectUtils.parse(server.get("/.well-known/openid-configuration").body());
        assertTrue(((List<?>) metadata.get("grant_types_supported")).contains(JWT_BEARER));
    }

    @Test
    void theVerifierApiMapsTheToken() {
        TrustedIssuers issuers = server.bean(TrustedIssuers.class);
        VerifiedExternalToken verified = issuers.verify(cluster.sign(claims("billing", "invoicer").build()));
        assertEquals(cluster.issuer(), verified.issuer());
        assertEquals("system:serviceaccount:billing:invoicer", verified.subject());
        assertEquals("billing-invoicer", verified.mappedClientId());
        assertEquals("billing", verified.namespace());
        assertEquals("invoicer", verified.serviceAccount());
        assertTrue(verified.claims().getClaims().containsKey("kubernetes.io"));
        assertThrows(RejectedTokenException.class, () -> issuers.verify("not.a.jwt"));
    }

    @Test
    void badTrustedIssuerConfigurationIsNamedByLine() {
        ConfigFileParser parser = server.bean(ConfigFileParser.class);
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    audience: lanyard
                    algorithms: [RS256, HS256]
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:4: trustedIssuers[0].algorithms: 'HS256' is not accepted");
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    audience: lanyard
                    algorithms: [none]
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:4: trustedIssuers[0].algorithms: 'none' is not accepted");
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: http://k8s.example.com
                    audience: lanyard
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:2: trustedIssuers[0].issuer: must be an https URL");
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:2: trustedIssuers[0].audience: is required");
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    audience: lanyard
                    serviceAccounts:
                      - {namespace: Billing_NS, serviceAccount: b, client: c}
                """, "t.yaml:5: trustedIssuers[0].serviceAccounts[0].namespace: 'Billing_NS' is not a Kubernetes");
        assertConfigError(parser, """
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    audience: lanyard
                    jwksFile: /nonexistent/jwks.json
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:4: trustedIssuers[0].jwksFile: cannot read /nonexistent/jwks.json");
        assertConfigError(parser, """
                clients:
                  - id: c
                    grantTypes: [client_credentials]
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                trustedIssuers:
                  - issuer: https://k8s.example.com
                    audience: lanyard
                    serviceAccounts: [{namespace: a, serviceAccount: b, client: c}]
                """, "t.yaml:8: trustedIssuers[0].serviceAccounts[0].client: client 'c' must list "
                + "urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    private static void assertConfigError(ConfigFileParser parser, String yaml, String expectedStart) {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parser.parse("t.yaml", yaml));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    @Test
    void aPodsTokenIsAnRfc8693SubjectTokenForItsOwnClient() throws Exception {
        String secret = System.getenv("LANYARD_TEST_CLIENT_SECRET");
        String podToken = cluster.sign(claims("payments", "api").build());
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token="
                + enc(podToken) + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt") + "&audience=ledger";
        HttpResponse<String> response = server.postForm("/token", form, "Authorization", LanyardServer.basic("payments", secret));
        assertEquals(200, response.statusCode(), response.body());
        String accessToken = (String) JSONObjectUtils.parse(response.body()).get("access_token");
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "ledger").verify(accessToken);
        assertEquals("payments", claims.getSubject(), "the pod's service account maps to the payments client");

        // another namespace's pod is not payments': its token is no subject for payments
        String other = cluster.sign(claims("billing", "invoicer").build());
        HttpResponse<String> refused = server.postForm("/token", form.replace(enc(podToken), enc(other)),
                "Authorization", LanyardServer.basic("payments", secret));
        assertEquals(400, refused.statusCode());
        assertEquals("invalid_grant", JSONObjectUtils.parse(refused.body()).get("error"));
    }

    @Test
    void aPodsTokenAuthenticatesItsClientWithoutASecret() throws Exception {
        String type = enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        String podToken = cluster.sign(claims("payments", "api").build());
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials&client_assertion_type="
                + type + "&client_assertion=" + enc(podToken));
        assertEquals(200, response.statusCode(), response.body());
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "payments").verify(
                (String) JSONObjectUtils.parse(response.body()).get("access_token"));
        assertEquals("payments", claims.getSubject());

        HttpResponse<String> otherPod = server.postForm("/token", "grant_type=client_credentials&client_id=payments"
                + "&client_assertion_type=" + type + "&client_assertion=" + enc(cluster.sign(claims("billing", "invoicer").build())));
        assertEquals(401, otherPod.statusCode(), "billing's pod cannot authenticate as payments");
        assertEquals("invalid_client", JSONObjectUtils.parse(otherPod.body()).get("error"));

        HttpResponse<String> wrongAudience = server.postForm("/token", "grant_type=client_credentials&client_assertion_type="
                + type + "&client_assertion=" + enc(cluster.sign(TestIssuer.claims(cluster.issuer(), "not-lanyard", "payments",
                "api", clock.instant()).build())));
        assertEquals(401, wrongAudience.statusCode());
    }

    @Test
    void aPodWithoutASecretExchangesWithItsOwnServiceAccountToken() throws Exception {
        // billing-invoicer has no secret: its pod's token authenticates it and is the subject token too
        String podToken = enc(cluster.sign(claims("billing", "invoicer").build()));
        HttpResponse<String> response = server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + podToken
                + "&subject_token=" + podToken + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:jwt")
                + "&audience=ledger");
        assertEquals(200, response.statusCode(), response.body());
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "ledger").verify(
                (String) JSONObjectUtils.parse(response.body()).get("access_token"));
        assertEquals("billing-invoicer", claims.getSubject());
        assertEquals(List.of("ledger"), claims.getAudience());
    }
}
