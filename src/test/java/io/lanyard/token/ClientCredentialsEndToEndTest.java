package io.lanyard.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeysProperties;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lanyard.testing.LanyardServer.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-credentials grant as a resource server sees it: over HTTP, verified with the published JWKS only. */
class ClientCredentialsEndToEndTest {
    static LanyardServer server;
    static String secret;
    static String esSecret;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshPostgres());
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        secret = server.createClient("reports", Set.of("reports.read", "reports.write"), Set.of("reports.read"),
                Set.of("https://api.example.com", "billing"), null);
        esSecret = server.createClient("fast", Set.of("a"), Set.of(), Set.of("billing"), "ES256");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }

    static String token(String clientId, String clientSecret, String form) throws Exception {
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials" + form,
                "Authorization", basic(clientId, clientSecret));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        Map<String, Object> body = json(response);
        assertEquals("Bearer", body.get("token_type"));
        return (String) body.get("access_token");
    }

    @Test
    void tokenVerifiesWithTheJwksFromDiscovery() throws Exception {
        HttpResponse<String> response = server.postForm("/token",
                "grant_type=client_credentials&scope=reports.write&resource=https%3A%2F%2Fapi.example.com",
                "Authorization", basic("reports", secret));
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = json(response);
        assertEquals(600L, ((Number) body.get("expires_in")).longValue());
        assertEquals("reports.write", body.get("scope"));

        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "https://api.example.com")
                .verify((String) body.get("access_token"));
        assertEquals(server.issuer(), claims.getIssuer());
        assertEquals("reports", claims.getSubject());
        assertEquals("reports", claims.getStringClaim("client_id"));
        assertEquals(List.of("https://api.example.com"), claims.getAudience());
        assertEquals("reports.write", claims.getStringClaim("scope"));
        assertEquals(600, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        JWSObject jws = JWSObject.parse((String) body.get("access_token"));
        assertEquals(JWSAlgorithm.RS256, jws.getHeader().getAlgorithm());
        assertEquals("at+jwt", jws.getHeader().getType().getType());
    }

    @Test
    void jwksPublishesPublicKeysOnlyAndIsCacheable() throws Exception {
        HttpResponse<String> response = server.get("/jwks");
        assertEquals(200, response.statusCode());
        assertEquals("public, max-age=300", response.headers().firstValue("Cache-Control").orElse(""));
        List<Object> keys = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(response.body()), "keys");
        assertTrue(keys.size() >= 2, "an RS256 and an ES256 key");
        for (Object key : keys) {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) key;
            assertTrue(jwk.keySet().containsAll(Set.of("kid", "kty", "alg", "use")), jwk.toString());
            assertEquals("sig", jwk.get("use"));
            assertTrue(Set.of("RSA", "EC").contains(jwk.get("kty")), "never symmetric keys");
            for (String secretPart : List.of("d", "p", "q", "dp", "dq", "qi", "k")) {
                assertTrue(!jwk.containsKey(secretPart), "no private or symmetric material: " + secretPart);
            }
        }
    }

    @Test
    void discoveryNamesTheIssuerByteForByte() throws Exception {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Map<String, Object> metadata = json(server.get(path));
            assertEquals(server.issuer(), metadata.get("issuer"));
            assertEquals(server.issuer() + "/token", metadata.get("token_endpoint"));
            assertEquals(server.issuer() + "/jwks", metadata.get("jwks_uri"));
            assertEquals(List.of("authorization_code", "client_credentials", "refresh_token",
                    "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                    "urn:ietf:params:oauth:grant-type:token-exchange"), metadata.get("grant_types_supported"));
            assertEquals(server.issuer() + "/introspect", metadata.get("introspection_endpoint"));
            assertEquals(List.of("client_secret_basic", "client_secret_post", "private_key_jwt"),
                    metadata.get("introspection_endpoint_auth_methods_supported"));
            assertEquals(server.issuer() + "/revoke", metadata.get("revocation_endpoint"));
            assertEquals(List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"),
                    metadata.get("revocation_endpoint_auth_methods_supported"));
            assertEquals(server.issuer() + "/device/code", metadata.get("device_authorization_endpoint"));
            assertEquals(List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"),
                    metadata.get("token_endpoint_auth_methods_supported"));
            assertEquals(List.of("RS256", "ES256", "PS256"),
                    metadata.get("token_endpoint_auth_signing_alg_values_supported"));
            assertEquals(server.issuer() + "/authorize", metadata.get("authorization_endpoint"));
            assertEquals(List.of("code"), metadata.get("response_types_supported"));
            assertEquals(List.of("S256"), metadata.get("code_challenge_methods_supported"));
        }
        Map<String, Object> oidc = json(server.get("/.well-known/openid-configuration"));
        assertEquals(server.issuer() + "/userinfo", oidc.get("userinfo_endpoint"));
        assertEquals(server.issuer() + "/logout", oidc.get("end_session_endpoint"));
        assertEquals(List.of("RS256", "ES256"), oidc.get("id_token_signing_alg_values_supported"));
        assertTrue(((List<?>) oidc.get("scopes_supported")).containsAll(List.of("openid", "groups", "offline_access")));
    }

    @Test
    void issuedTokensAreCountedPerGrant() throws Exception {
        token("reports", secret, "");
        String metrics = server.management("/prometheus").body();
        assertTrue(metrics.contains("lanyard_tokens_issued_total{grant=\"client_credentials\"}"), metrics);
        assertTrue(metrics.contains("http_server_requests_seconds_bucket"), "request latency histogram");
    }

    @Test
    void defaultsApplyWhenScopeAndAudienceAreAbsent() throws Exception {
        String token = token("reports", secret, "");
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "billing").verify(token);
        assertEquals("reports.read", claims.getStringClaim("scope"));
        assertEquals(List.of("billing", "https://api.example.com"), claims.getAudience());
    }

    @Test
    void severalAllowedTargetsGiveAnAudienceArray() throws Exception {
        String token = token("reports", secret, "&resource=https%3A%2F%2Fapi.example.com&audience=billing");
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "billing").verify(token);
        assertEquals(List.of("https://api.example.com", "billing"), claims.getAudience());
    }

    @Test
    void clientSecretPostWorksToo() throws Exception {
        HttpResponse<String> response = server.postForm("/token",
                "grant_type=client_credentials&client_id=reports&client_secret=" + secret + "&audience=billing");
        assertEquals(200, response.statusCode(), response.body());
        new RemoteVerifier(server.issuer(), "billing").verify((String) json(response).get("access_token"));
    }

    @Test
    void es256ClientGetsEs256Tokens() throws Exception {
        String token = token("fast", esSecret, "");
        assertEquals(JWSAlgorithm.ES256, JWSObject.parse(token).getHeader().getAlgorithm());
        assertEquals("fast", new RemoteVerifier(server.issuer(), "billing").verify(token).getSubject());
    }

    @Test
    void verifierRejectsAnotherAudience() throws Exception {
        String token = token("reports", secret, "&audience=billing");
        assertThrows(Exception.class, () -> new RemoteVerifier(server.issuer(), "https://api.example.com").verify(token));
    }

    /**
     * The pre-publication rule: a verifier that fetched the JWKS once, while the new key was still
     * PENDING, verifies the first token of that key without fetching again; tokens of the old key
     * keep verifying after the switch.
     */
    @Test
    void rotationIsInvisibleToAVerifierWithACachedJwks() throws Exception {
        KeyRotator rotator = server.bean(KeyRotator.class);
        KeyRingHolder ring = server.bean(KeyRingHolder.class);
        MutableClock clock = server.bean(MutableClock.class);
        Duration prePublish = server.bean(KeysProperties.class).prePublish();

        String before = token("reports", secret, "&audience=billing");
        String oldKid = JWSObject.parse(before).getHeader().getKeyID();

        String newKid = rotator.rotateNow(JWSAlgorithm.RS256, false).kid();
        ring.reload();
        assertTrue(server.get("/jwks").body().contains(newKid), "a PENDING key is published at once");
        assertEquals(oldKid, JWSObject.parse(token("reports", secret, "&audience=billing")).getHeader().getKeyID(),
                "a PENDING key does not sign");

        RemoteVerifier verifier = new RemoteVerifier(server.issuer(), "billing");
        verifier.verify(before);
        assertEquals(1, verifier.jwksFetches());

        clock.advance(prePublish.plusSeconds(1));
        String after = token("reports", secret, "&audience=billing");
        assertEquals(newKid, JWSObject.parse(after).getHeader().getKeyID(), "the new key signs once it is due");
        assertNotEquals(oldKid, newKid);

        verifier.verify(after);
        verifier.verify(before);
        assertEquals(1, verifier.jwksFetches(), "no refetch was needed for the new kid");
        assertTrue(server.get("/jwks").body().contains(oldKid), "the retired key stays published");
    }
}
