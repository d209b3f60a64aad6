package io.lanyard.users.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lanyard.testing.Browser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A hand-made OpenID provider for what a real one never does: an id_token with the wrong nonce,
 * audience or issuer, a foreign signature, {@code alg: none}. It checks what Lanyard sends to its
 * token endpoint (client authentication, the PKCE verifier against the challenge of the authorization
 * URL) and answers with whatever id_token the test makes from the nonce Lanyard sent.
 */
final class FakeUpstream implements AutoCloseable {
    static final String CLIENT_ID = "lanyard";
    static final String CLIENT_SECRET = "fake upstream secret";

    /** The authorization request Lanyard built, as the test read it from the browser's redirect. */
    record Sent(String state, String nonce, String codeChallenge) {
    }

    private final HttpServer server;
    private volatile RSAKey key;
    private volatile int jwksStatus = 200;
    private volatile int userInfoStatus = 200;
    private volatile String userInfoSubject = "upstream-42";
    private final AtomicReference<Sent> sent = new AtomicReference<>();
    private volatile Function<Sent, String> tokenResponse;
    private volatile String lastTokenRequest = "";

    FakeUpstream() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, discovery()));
        server.createContext("/jwks", exchange -> json(exchange, jwksStatus,
                JSONObjectUtils.toJSONString(new JWKSet(key.toPublicJWK()).toJSONObject())));
        server.createContext("/userinfo", exchange -> json(exchange, userInfoStatus, userInfoStatus != 200
                ? "{\"error\":\"whatever\"}" : JSONObjectUtils.toJSONString(Map.of("sub", userInfoSubject,
                "name", "Dana From Userinfo", "groups", List.of("from-userinfo")))));
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The upstream rotates to a new signing key with a new key id; its JWKS publishes only that one. */
    RSAKey rotate(String kid) throws JOSEException {
        key = new RSAKeyGenerator(2048).keyID(kid).generate();
        return key;
    }

    void jwksAnswers(int status) {
        jwksStatus = status;
    }

    void userInfoAnswers(int status, String subject) {
        userInfoStatus = status;
        userInfoSubject = subject;
    }

    /** Remembers the authorization request Lanyard sent the browser with. */
    void sawAuthorization(String location) {
        Map<String, String> query = Browser.query(location);
        sent.set(new Sent(query.get("state"), query.get("nonce"), query.get("code_challenge")));
    }

    void answerTokenRequests(Function<Sent, String> body) {
        this.tokenResponse = body;
    }

    String lastTokenRequest() {
        return lastTokenRequest;
    }

    /** A token response with this id_token. */
    static String withIdToken(String idToken) {
        return JSONObjectUtils.toJSONString(Map.of("access_token", "upstream-access", "token_type", "Bearer",
                "expires_in", 300, "id_token", idToken));
    }

    /** Claims as a well-behaved upstream would sign them for Lanyard's login. */
    JWTClaimsSet.Builder claims(Sent sent) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).audience(CLIENT_ID).subject("upstream-42")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", sent.nonce()).claim("name", "Dana Upstream").claim("email", "dana@example.com")
                .claim("email_verified", true).claim("preferred_username", "dana");
    }

    String sign(JWTClaimsSet claims) throws JOSEException {
        return sign(claims, key);
    }

    static String sign(JWTClaimsSet claims, RSAKey with) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private String discovery() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer());
        metadata.put("authorization_endpoint", issuer() + "/authorize");
        metadata.put("token_endpoint", issuer() + "/token");
        metadata.put("jwks_uri", issuer() + "/jwks");
        metadata.put("userinfo_endpoint", issuer() + "/userinfo");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return JSONObjectUtils.toJSONString(metadata);
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        lastTokenRequest = body;
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":"
                + CLIENT_SECRET.replace(" ", "+")).getBytes(StandardCharsets.UTF_8));
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!expectedAuth.equals(auth)) {
            json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Sent current = sent.get();
        Map<String, String> form = Browser.query("http://x/?" + body);
        String verifier = form.get("code_verifier");
        if (verifier == null || !CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue()
                .equals(current.codeChallenge())) {
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
            return;
        }
        String answer = tokenResponse.apply(current);
        int status = answer.contains("\"error\"") ? (answer.contains("server_error") ? 500 : 400) : 200;
        json(exchange, status, answer);
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
