package io.lanyard.introspection;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /introspect (RFC 7662) and /revoke (RFC 7009) over HTTP, as a gateway and a "sign out
 * everywhere" button use them: what a client may learn, what a revocation ends, and every refusal.
 */
class IntrospectionEndToEndTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static final String PASSWORD = "hana's long password";
    private static LanyardServer server;
    private static String hanaId;
    private static String appSecret;
    private static String ordersSecret;
    private static String ledgerSecret;
    private static String nosySecret;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        hanaId = server.createUser("hana", PASSWORD, "hana@example.com", "sre");
        appSecret = server.createWebClient("app", REDIRECT);
        server.createPublicClient("cli", REDIRECT);
        ordersSecret = server.createClient("orders", Set.of("ledger.read"), Set.of("ledger.read"), Set.of("ledger"), null);
        ledgerSecret = server.createClient("ledger", Set.of(), Set.of(), Set.of("audit"), null);
        nosySecret = server.createClient("nosy", Set.of(), Set.of(), Set.of("nosy"), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> call(String path, String client, String secret, String body) {
        return server.postForm(path, body, "Authorization", LanyardServer.basic(client, secret));
    }

    static Map<String, Object> introspect(String client, String secret, String token) throws Exception {
        HttpResponse<String> response = call("/introspect", client, secret, "token=" + enc(token));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        return JSONObjectUtils.parse(response.body());
    }

    private static Map<String, Object> serviceTokens(String client, String secret) throws Exception {
        HttpResponse<String> response = call("/token", client, secret, "grant_type=client_credentials");
        assertEquals(200, response.statusCode(), response.body());
        return JSONObjectUtils.parse(response.body());
    }

    /** Hana signs in to the web app; its token response, with a refresh token. */
    private static Map<String, Object> hanasTokens() throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), server.url("/authorize?response_type=code&client_id=app"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc("openid email groups offline_access")
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256"), "hana", PASSWORD);
        HttpResponse<String> response = call("/token", "app", appSecret, "grant_type=authorization_code&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier());
        assertEquals(200, response.statusCode(), response.body());
        return JSONObjectUtils.parse(response.body());
    }

    private static int userinfo(String accessToken) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/userinfo")))
                .header("Authorization", "Bearer " + accessToken).GET().build()).statusCode();
    }

    @Test
    void anActiveAccessTokenIsDescribedToItsClientAndToTheAudienceItNames() throws Exception {
        String token = (String) serviceTokens("orders", ordersSecret).get("access_token");
        JWTClaimsSet claims = new RemoteVerifier(server.issuer(), "ledger").verify(token);

        Map<String, Object> own = introspect("orders", ordersSecret, token);
        assertEquals(true, own.get("active"));
        assertEquals("ledger.read", own.get("scope"));
        assertEquals("orders", own.get("client_id"));
        assertEquals("orders", own.get("sub"));
        assertEquals(List.of("ledger"), own.get("aud"));
        assertEquals(server.issuer(), own.get("iss"));
        assertEquals(claims.getExpirationTime().getTime() / 1000, ((Number) own.get("exp")).longValue());
        assertEquals(claims.getIssueTime().getTime() / 1000, ((Number) own.get("iat")).longValue());
        assertEquals("Bearer", own.get("token_type"));
        assertEquals(claims.getJWTID(), own.get("jti"));

        // the resource server the token names learns the same; a stranger learns nothing
        assertEquals(own, introspect("ledger", ledgerSecret, token));
        assertEquals(Map.of("active", false), introspect("nosy", nosySecret, token));
        // the hint is only a hint
        HttpResponse<String> hinted = call("/introspect", "orders", ordersSecret, "token=" + token
                + "&token_type_hint=refresh_token");
        assertEquals(true, JSONObjectUtils.parse(hinted.body()).get("active"));
    }

    @Test
    void aPersonsTokensNameThemAndTheRefreshTokenIsItsClientsAlone() throws Exception {
        Map<String, Object> tokens = hanasTokens();
        Map<String, Object> access = introspect("app", appSecret, (String) tokens.get("access_token"));
        assertEquals(true, access.get("active"));
        assertEquals(hanaId, access.get("sub"));
        assertEquals("app", access.get("client_id"));
        assertEquals(Set.of("openid", "email", "groups", "offline_access"),
                Set.of(((String) access.get("scope")).split(" ")));

        String refresh = (String) tokens.get("refresh_token");
        Map<String, Object> described = introspect("app", appSecret, refresh);
        assertEquals(true, described.get("active"));
        assertEquals("refresh_token", described.get("token_type"));
        assertEquals(hanaId, described.get("sub"));
        assertEquals("app", described.get("client_id"));
        assertNotNull(described.get("exp"));
        assertEquals(Map.of("active", false), introspect("orders", ordersSecret, refresh));
        // an id_token is no access token
        assertEquals(Map.of("active", false), introspect("app", appSecret, (String) tokens.get("id_token")));
    }

    @Test
    void aRevokedAccessTokenIsRefusedAtIntrospectionAndUserinfo() throws Exception {
        Map<String, Object> tokens = hanasTokens();
        String access = (String) tokens.get("access_token");
        assertEquals(200, userinfo(access));

        assertEquals(400, call("/revoke", "orders", ordersSecret, "token=" + access).statusCode(),
                "only the client the token was issued to may revoke it");
        assertEquals(true, introspect("app", appSecret, access).get("active"));

        HttpResponse<String> revoked = call("/revoke", "app", appSecret, "token=" + access + "&token_type_hint=access_token");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(Map.of("active", false), introspect("app", appSecret, access));
        assertEquals(401, userinfo(access));
        // again, and a token nobody knows: 200 (RFC 7009 2.2)
        assertEquals(200, call("/revoke", "app", appSecret, "token=" + access).statusCode());
        assertEquals(200, call("/revoke", "app", appSecret, "token=unknown-token").statusCode());
        assertEquals(200, call("/revoke", "app", appSecret, "token=a.b.c").statusCode());
        // the refresh token was not revoked with it and still works
        HttpResponse<String> refreshed = call("/token", "app", appSecret, "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
    }

    @Test
    void revokingARefreshTokenEndsItsFamilyAndTheAccessTokensItIssued() throws Exception {
        Map<String, Object> first = hanasTokens();
        HttpResponse<String> rotated = call("/token", "app", appSecret, "grant_type=refresh_token&refresh_token="
                + first.get("refresh_token"));
        assertEquals(200, rotated.statusCode(), rotated.body());
        Map<String, Object> second = JSONObjectUtils.parse(rotated.body());

        // a public client revokes with its client_id alone (RFC 7009 2.1); this one is not the token's
        assertEquals(400, server.postForm("/revoke", "client_id=cli&token=" + second.get("refresh_token")).statusCode());
        HttpResponse<String> revoked = call("/revoke", "app", appSecret, "token=" + second.get("refresh_token")
                + "&token_type_hint=refresh_token");
        assertEquals(200, revoked.statusCode(), revoked.body());

        assertEquals(Map.of("active", false), introspect("app", appSecret, (String) second.get("refresh_token")));
        assertEquals(Map.of("active", false), introspect("app", appSecret, (String) first.get("access_token")));
        assertEquals(Map.of("active", false), introspect("app", appSecret, (String) second.get("access_token")));
        assertEquals(401, userinfo((String) second.get("access_token")));
        HttpResponse<String> refused = call("/token", "app", appSecret, "grant_type=refresh_token&refresh_token="
                + second.get("refresh_token"));
        assertEquals(400, refused.statusCode());
        assertEquals("invalid_grant", JSONObjectUtils.parse(refused.body()).get("error"));
    }

    @Test
    void aDisabledUsersTokensAreInactive() throws Exception {
        String ivo = server.createUser("ivo", "ivo's long password", "ivo@example.com");
        assertNotNull(ivo);
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), server.url("/authorize?response_type=code&client_id=app"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=openid&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256"), "ivo", "ivo's long password");
        String access = (String) JSONObjectUtils.parse(call("/token", "app", appSecret, "grant_type=authorization_code&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
                + pkce.verifier()).body()).get("access_token");
        assertEquals(true, introspect("app", appSecret, access).get("active"));
        server.bean(UserService.class).setDisabled("ivo", true);
        assertEquals(Map.of("active", false), introspect("app", appSecret, access));
    }

    @Test
    void malformedForgedAndExpiredTokensAreInactive() throws Exception {
        String genuine = (String) serviceTokens("orders", ordersSecret).get("access_token");
        SignedJWT parsed = SignedJWT.parse(genuine);
        // our kid and header, signed by another key
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(parsed.getHeader().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), parsed.getJWTClaimsSet());
        forged.sign(new RSASSASigner((RSAPrivateKey) generator.generateKeyPair().getPrivate()));
        for (String token : List.of("", "garbage", "a.b.c", genuine + "x", forged.serialize(),
                genuine.substring(0, genuine.lastIndexOf('.')) + ".")) {
            HttpResponse<String> response = call("/introspect", "orders", ordersSecret, "token=" + enc(token));
            if (token.isEmpty()) {
                assertEquals(400, response.statusCode(), "an empty token is a missing one");
                continue;
            }
            assertEquals("{\"active\":false}", response.body(), token);
        }
        Date exp = parsed.getJWTClaimsSet().getExpirationTime();
        server.bean(MutableClock.class).advance(Duration.between(new Date().toInstant(), exp.toInstant())
                .plusMinutes(1));
        assertEquals(Map.of("active", false), introspect("orders", ordersSecret, genuine));
    }

    @Test
    void everyRefusalIsOAuthErrorJson() throws Exception {
        String token = (String) serviceTokens("orders", ordersSecret).get("access_token");
        for (String path : List.of("/introspect", "/revoke")) {
            assertError(server.postForm(path, "token=" + token), 401, "invalid_client");
            assertError(call(path, "orders", "wrong secret", "token=" + token), 401, "invalid_client");
            assertError(call(path, "orders", ordersSecret, ""), 400, "invalid_request");
            assertError(call(path, "orders", ordersSecret, "token=" + token + "&token=" + token), 400, "invalid_request");
            assertError(call(path, "orders", ordersSecret, "token=" + token + "&token_type_hint=id_token"), 400,
                    "unsupported_token_type");
            assertError(LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                    .header("Content-Type", "application/json")
                    .header("Authorization", LanyardServer.basic("orders", ordersSecret))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build()), 400,
                    "invalid_request");
        }
        // introspection is for confidential clients (RFC 7662 2.1)
        assertError(server.postForm("/introspect", "client_id=cli&token=" + token), 401, "invalid_client");
        // the token is still active: no refusal revoked it
        assertEquals(true, introspect("orders", ordersSecret, token).get("active"));
    }

    static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        assertEquals(error, JSONObjectUtils.parse(response.body()).get("error"), response.body());
    }
}
