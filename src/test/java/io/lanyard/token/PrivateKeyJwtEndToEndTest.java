package io.lanyard.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * private_key_jwt over HTTP against two replicas on one PostgreSQL: clients with inline keys and
 * one whose keys a small JDK HTTP server publishes at its jwks_uri.
 */
class PrivateKeyJwtEndToEndTest {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static Map<String, Object> props;
    static LanyardServer server;
    static LanyardServer replica;
    static HttpServer jwksServer;
    static final AtomicReference<String> published = new AtomicReference<>();
    static final AtomicInteger jwksFetches = new AtomicInteger();
    static RSAKey rsa;
    static ECKey ec;
    static RSAKey attacker;
    static RSAKey remote1;
    static RSAKey remote2;

    @BeforeAll
    static void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        attacker = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        remote1 = new RSAKeyGenerator(2048).keyID("remote-1").generate();
        remote2 = new RSAKeyGenerator(2048).keyID("remote-2").generate();

        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.createContext("/attacker-jwks", exchange -> {
            byte[] body = new JWKSet(attacker.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.createContext("/slow", exchange -> {
            try {
                Thread.sleep(8000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        jwksServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        jwksServer.start();
        published.set(new JWKSet(remote1.toPublicJWK()).toString());

        props = LanyardServer.defaults(TestDatabases.freshPostgres());
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        create("signer", new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(), null);
        create("remote", null, "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks");
        // replicas behind one Service share the issuer, so an assertion's aud fits either
        create("slow", null, "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/slow");
        replica = LanyardServer.replicaOf(props, Map.of("lanyard.issuer", props.get("lanyard.issuer")));
        replica.bean(ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        server.close();
        jwksServer.stop(0);
    }

    static void create(String id, String jwks, String jwksUri) {
        server.bean(ClientService.class).create(Client.builder(id)
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("a"))
                .audiences(Set.of("billing"))
                .jwks(jwks)
                .jwksUri(jwksUri)
                .build(), false);
        server.bean(ClientRegistry.class).reload();
    }

    static JWTClaimsSet.Builder claims(String clientId, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString());
    }

    static JWTClaimsSet claims(String clientId) {
        return claims(clientId, server.issuer() + "/token").build();
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) throws Exception {
        JWSHeader.Builder builder = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
        header.accept(builder);
        JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(builder.build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        return sign(key, alg, claims, h -> { });
    }

    static HttpResponse<String> post(LanyardServer to, String assertion, String extra) {
        return to.postForm("/token", "grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode(TYPE, StandardCharsets.UTF_8) + "&client_assertion=" + assertion + extra);
    }

    static HttpResponse<String> post(String assertion) {
        return post(server, assertion, "");
    }

    static void assertInvalidClient(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("invalid_client", JSONObjectUtils.parse(response.body()).get("error"));
        assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent(), "401 carries WWW-Authenticate");
    }

    static String accessToken(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    @Test
    void rs256AssertionGivesATokenThatVerifies() throws Exception {
        String token = accessToken(post(sign(rsa, JWSAlgorithm.RS256, claims("signer"))));
        JWTClaimsSet issued = new RemoteVerifier(server.issuer(), "billing").verify(token);
        assertEquals("signer", issued.getSubject());
        assertEquals("signer", issued.getStringClaim("client_id"));
    }

    @Test
    void es256AndPs256AssertionsWork() throws Exception {
        String token = accessToken(post(sign(ec, JWSAlgorithm.ES256, claims("signer"))));
        assertEquals("signer", new RemoteVerifier(server.issuer(), "billing").verify(token).getSubject());
        accessToken(post(sign(rsa, JWSAlgorithm.PS256, claims("signer"))));
    }

    @Test
    void theIssuerIsAnAcceptedAudienceAndAMatchingClientIdMayBeSent() throws Exception {
        accessToken(post(server, sign(rsa, JWSAlgorithm.RS256, claims("signer", server.issuer()).build()),
                "&client_id=signer"));
    }

    @Test
    void aReplayedAssertionIsRefusedOnTheSameAndOnAnotherReplica() throws Exception {
        String assertion = sign(rsa, JWSAlgorithm.RS256, claims("signer"));
        accessToken(post(assertion));
        assertInvalidClient(post(assertion));
        assertInvalidClient(post(replica, assertion, ""));

        String other = sign(ec, JWSAlgorithm.ES256, claims("signer"));
        accessToken(post(replica, other, ""));
        assertInvalidClient(post(server, other, ""));
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, claims("signer", "https://elsewhere.example/token").build())));
    }

    @Test
    void expiredOrMissingExpOrTooLongLivedIsRefused() throws Exception {
        Instant now = Instant.now();
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .issueTime(Date.from(now.minusSeconds(120))).expirationTime(Date.from(now.minusSeconds(5))).build())));
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .expirationTime(null).build())));
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).build())));
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .issueTime(Date.from(now.plusSeconds(90))).build())), "iat in the future");
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .jwtID(null).build())));
    }

    static void assertInvalidClient(HttpResponse<String> response, String why) throws Exception {
        assertEquals(401, response.statusCode(), why + ": " + response.body());
        assertInvalidClient(response);
    }

    @Test
    void issAndSubMustBeTheClient() throws Exception {
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, new JWTClaimsSet.Builder(claims("signer"))
                .issuer("remote").build())));
        assertInvalidClient(post(sign(rsa, JWSAlgorithm.RS256, claims("nobody"))));
        HttpResponse<String> mismatch = post(server, sign(rsa, JWSAlgorithm.RS256, claims("signer")), "&client_id=remote");
        assertEquals(400, mismatch.statusCode(), mismatch.body());
    }

    @Test
    void algNoneIsRefused() throws Exception {
        assertInvalidClient(post(new PlainJWT(claims("signer")).serialize()));
    }

    @Test
    void hs256KeyedWithThePublicKeyIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims("signer"));
        jwt.sign(new MACSigner(rsa.toPublicKey().getEncoded()));
        assertInvalidClient(post(jwt.serialize()));
        SignedJWT json = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims("signer"));
        json.sign(new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        assertInvalidClient(post(json.serialize()));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        assertInvalidClient(post(sign(attacker, JWSAlgorithm.RS256, claims("signer"))));
        RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("not-registered").generate();
        assertInvalidClient(post(sign(unknownKid, JWSAlgorithm.RS256, claims("signer"))));
    }

    @Test
    void keysInTheHeaderAreNeverTrusted() throws Exception {
        String jku = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/attacker-jwks";
        assertInvalidClient(post(sign(attacker, JWSAlgorithm.RS256, claims("signer"),
                h -> h.jwk(attacker.toPublicJWK()))));
        assertInvalidClient(post(sign(attacker, JWSAlgorithm.RS256, claims("signer"),
                h -> h.jwkURL(URI.create(jku)))));
        assertInvalidClient(post(sign(attacker, JWSAlgorithm.RS256, claims("remote"),
                h -> h.jwk(attacker.toPublicJWK()).jwkURL(URI.create(jku)))));
    }

    @Test
    void twoMethodsOrAWrongAssertionTypeAreInvalidRequests() throws Exception {
        String assertion = sign(rsa, JWSAlgorithm.RS256, claims("signer"));
        HttpResponse<String> both = post(server, assertion, "&client_id=signer&client_secret=whatever");
        assertEquals(400, both.statusCode(), both.body());
        assertEquals("invalid_request", JSONObjectUtils.parse(both.body()).get("error"));
        HttpResponse<String> wrongType = server.postForm("/token",
                "grant_type=client_credentials&client_assertion_type=urn%3Aexample&client_assertion=" + assertion);
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        assertEquals("invalid_request", JSONObjectUtils.parse(wrongType.body()).get("error"));
        // the refused requests did not use up the assertion
        accessToken(post(assertion));
    }

    /**
     * A rotated key at the jwks_uri: the unknown kid causes one refetch, after which the new key
     * works; another unknown kid within the minute fetches nothing.
     */
    @Test
    void anUnknownKidRefetchesTheJwksUriAtMostOncePerMinute() throws Exception {
        MutableClock clock = server.bean(MutableClock.class);
        accessToken(post(sign(remote1, JWSAlgorithm.RS256, claims("remote"))));
        int afterFirst = jwksFetches.get();
        assertTrue(afterFirst >= 1, "fetched on first use");
        accessToken(post(sign(remote1, JWSAlgorithm.RS256, claims("remote"))));
        assertEquals(afterFirst, jwksFetches.get(), "cached");

        published.set(new JWKSet(List.of(remote1.toPublicJWK(), remote2.toPublicJWK())).toString());
        clock.advance(Duration.ofSeconds(61));
        accessToken(post(sign(remote2, JWSAlgorithm.RS256, claims("remote"))));
        assertEquals(afterFirst + 1, jwksFetches.get(), "one refetch for the unknown kid");

        RSAKey remote3 = new RSAKeyGenerator(2048).keyID("remote-3").generate();
        published.set(new JWKSet(List.of(remote2.toPublicJWK(), remote3.toPublicJWK())).toString());
        assertInvalidClient(post(sign(remote3, JWSAlgorithm.RS256, claims("remote"))));
        assertInvalidClient(post(sign(remote3, JWSAlgorithm.RS256, claims("remote"))));
        assertEquals(afterFirst + 1, jwksFetches.get(), "no second refetch within the minute");
    }

    /** A jwks_uri that hangs costs its own client a short timeout and no one else anything. */
    @Test
    void aSlowJwksUriFailsOnlyItsOwnClient() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> slow = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return post(sign(rsa, JWSAlgorithm.RS256, claims("slow")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        Thread.sleep(200);
        long start = System.nanoTime();
        accessToken(post(sign(rsa, JWSAlgorithm.RS256, claims("signer"))));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000, "another client is not held up");
        HttpResponse<String> refused = slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertInvalidClient(refused);
    }
}
