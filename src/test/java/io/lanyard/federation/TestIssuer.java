package io.lanyard.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a cluster's service-account issuer: an RSA key, and a JDK HttpServer on loopback that
 * serves its discovery document and JWKS (like kube-apiserver's /openid/v1/jwks), optionally slowly.
 */
final class TestIssuer implements AutoCloseable {
    final RSAKey key = newKey("sa-key-1");
    final List<JWK> published = new CopyOnWriteArrayList<>(List.of(key.toPublicJWK()));
    final AtomicInteger jwksFetches = new AtomicInteger();
    /** When set, served instead of the JWKS. */
    volatile String jwksBody;
    private final HttpServer server;
    private final Duration delay;

    TestIssuer(Duration delay) throws IOException {
        this.delay = delay;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/openid/v1/jwks\"}"));
        server.createContext("/openid/v1/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            String body = jwksBody;
            answer(exchange, body != null ? body : new JWKSet(new ArrayList<>(published)).toString());
        });
        server.start();
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange, String body) throws IOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Claims as kube-apiserver writes them for a projected token of {@code namespace/account}. */
    static JWTClaimsSet.Builder claims(String issuer, String audience, String namespace, String account, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("system:serviceaccount:" + namespace + ":" + account)
                .audience(List.of(audience))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("kubernetes.io", Map.of(
                        "namespace", namespace,
                        "serviceaccount", Map.of("name", account, "uid", "0b8a2f3c-sa"),
                        "pod", Map.of("name", account + "-7d9f8-x2x4q", "uid", "5e1c-pod")));
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
