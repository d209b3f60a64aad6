package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.lanyard.testing.Browser;
import io.lanyard.testing.KubeApiserverCheck;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.tls.DevCaRun;
import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What `kubectl oidc-login` does, step by step, against a real server on PostgreSQL serving
 * https with a certificate from `lanyard tls dev-ca`: a public client, PKCE, a loopback redirect
 * on a port picked at run time, code -> tokens -> refresh -> tokens; every id_token goes through
 * the checks kube-apiserver makes, over a client that trusts only the dev CA (--oidc-ca-file).
 */
class KubeloginFlowTest {
    @TempDir
    static Path tls;
    private static LanyardServer server;
    private static HttpClient trusting;
    private static HttpServer callback;
    private static final BlockingQueue<String> CALLBACKS = new ArrayBlockingQueue<>(10);
    private static String aliceId;

    @BeforeAll
    static void start() throws Exception {
        DevCaRun.ok(tls, "--host", "localhost", "--host", "127.0.0.1");
        server = LanyardServer.start(LanyardServer.withTls(LanyardServer.defaults(TestDatabases.freshPostgres()),
                tls.resolve("server.pem"), tls.resolve("server-key.pem"), "localhost"));
        trusting = LanyardServer.clientTrusting(tls.resolve("ca.pem"));
        server.bean(GroupService.class).create(new Group("engineering", null, "cli"));
        aliceId = server.createUser("alice", "correct horse battery staple", "alice@example.com", "developers");
        server.bean(GroupService.class).addGroup("engineering", "developers");
        server.createPublicClient("k8s", "http://localhost:8000", "http://localhost:18000");
        // kubelogin's loopback listener: whatever port the OS gives, not the registered 8000
        callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callback.createContext("/", exchange -> {
            CALLBACKS.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        callback.start();
    }

    @AfterAll
    static void stop() {
        callback.stop(0);
        server.close();
    }

    private static String redirectUri() {
        return "http://localhost:" + callback.getAddress().getPort();
    }

    static String authorizeUrl(String base, String clientId, String redirectUri, Pkce pkce, String state, String extra) {
        return base + "/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("openid profile email groups offline_access", StandardCharsets.UTF_8)
                + "&state=" + state + "&nonce=n-" + state
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256" + extra;
    }

    @Test
    void codeTokensRefreshTokensAllPassKubeApiserverChecks() throws Exception {
        assertTrue(server.issuer().startsWith("https://localhost:"));
        KubeApiserverCheck apiserver = new KubeApiserverCheck(trusting, server.issuer(), "k8s");
        Browser browser = new Browser(trusting.sslContext());
        Pkce pkce = Pkce.create();
        String location = browser.login(server.issuer(), authorizeUrl(server.issuer(), "k8s", redirectUri(), pkce,
                "s1", ""), "alice", "correct horse battery staple");
        assertTrue(location.startsWith(redirectUri() + "?code="), location);
        Map<String, String> answer = Browser.query(location);
        assertEquals("s1", answer.get("state"));
        assertEquals(server.issuer(), answer.get("iss"));
        // the browser follows the redirect to kubelogin's listener
        assertEquals(200, browser.get(location).statusCode());
        assertEquals("/" + location.substring(redirectUri().length()), CALLBACKS.poll(5, TimeUnit.SECONDS));

        HttpResponse<String> tokens = post("/token", "grant_type=authorization_code&client_id=k8s"
                + "&code=" + answer.get("code") + "&redirect_uri=" + URLEncoder.encode(redirectUri(), StandardCharsets.UTF_8)
                + "&code_verifier=" + pkce.verifier());
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertEquals("no-store", tokens.headers().firstValue("Cache-Control").orElse(null));
        Map<String, Object> json = JSONObjectUtils.parse(tokens.body());
        assertEquals("Bearer", json.get("token_type"));
        String idToken = (String) json.get("id_token");
        String accessToken = (String) json.get("access_token");
        String refreshToken = (String) json.get("refresh_token");
        assertNotNull(refreshToken, "offline_access yields a refresh token");

        JWTClaimsSet claims = apiserver.verify(idToken);
        assertEquals(aliceId, claims.getSubject());
        assertEquals(List.of("k8s"), claims.getAudience());
        assertEquals("k8s", claims.getStringClaim("azp"));
        assertEquals("n-s1", claims.getStringClaim("nonce"));
        assertEquals("alice@example.com", claims.getStringClaim("email"));
        assertEquals("alice", claims.getStringClaim("preferred_username"));
        assertEquals(List.of("developers", "engineering"), claims.getStringListClaim("groups"));
        assertEquals(atHash(accessToken), claims.getStringClaim("at_hash"));
        assertNotNull(claims.getClaim("auth_time"));

        HttpResponse<String> userinfo = trusting.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/userinfo"))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, userinfo.statusCode(), userinfo.body());
        Map<String, Object> info = JSONObjectUtils.parse(userinfo.body());
        assertEquals(aliceId, info.get("sub"));
        assertEquals(true, info.get("email_verified"));
        assertEquals(List.of("developers", "engineering"), info.get("groups"));

        // membership changes between logins show up in the next refresh's id_token
        GroupService groups = server.bean(GroupService.class);
        groups.create(new Group("cluster-admins", null, "cli"));
        groups.addUser("cluster-admins", "alice");
        groups.removeUser("developers", "alice");
        HttpResponse<String> refreshed = post("/token", "grant_type=refresh_token&client_id=k8s"
                + "&refresh_token=" + refreshToken);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        Map<String, Object> second = JSONObjectUtils.parse(refreshed.body());
        assertNotEquals(refreshToken, second.get("refresh_token"), "refresh tokens rotate");
        JWTClaimsSet refreshedClaims = apiserver.verify((String) second.get("id_token"));
        assertEquals(List.of("cluster-admins"), refreshedClaims.getStringListClaim("groups"));
        assertEquals(aliceId, refreshedClaims.getSubject());
        assertEquals(claims.getClaim("auth_time"), refreshedClaims.getClaim("auth_time"));

        // and the rotated token works once more
        HttpResponse<String> third = post("/token", "grant_type=refresh_token&client_id=k8s"
                + "&refresh_token=" + second.get("refresh_token"));
        assertEquals(200, third.statusCode(), third.body());
        apiserver.verify((String) JSONObjectUtils.parse(third.body()).get("id_token"));
    }

    private static HttpResponse<String> post(String path, String form) throws Exception {
        return trusting.send(HttpRequest.newBuilder(URI.create(server.issuer() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSecondAuthorizeInTheSessionSkipsTheLoginAndPromptNoneWorks() {
        Browser browser = new Browser(trusting.sslContext());
        String first = browser.login(server.issuer(), authorizeUrl(server.issuer(), "k8s", redirectUri(),
                Pkce.create(), "a", ""), "alice", "correct horse battery staple");
        assertTrue(Browser.query(first).containsKey("code"));
        java.net.HttpCookie session = browser.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("__Host-lanyard_session")).findFirst().orElseThrow();
        assertTrue(session.getSecure() && session.isHttpOnly(), "over https the session cookie is Secure and HttpOnly");

        HttpResponse<String> again = browser.get(authorizeUrl(server.issuer(), "k8s", redirectUri(), Pkce.create(),
                "b", ""));
        assertEquals(302, again.statusCode(), "no login page the second time");
        assertEquals("b", Browser.query(Browser.location(again)).get("state"));
        assertTrue(Browser.query(Browser.location(again)).containsKey("code"));

        HttpResponse<String> silent = browser.get(authorizeUrl(server.issuer(), "k8s", redirectUri(), Pkce.create(),
                "c", "&prompt=none"));
        assertEquals(302, silent.statusCode());
        assertTrue(Browser.query(Browser.location(silent)).containsKey("code"));

        HttpResponse<String> tooOld = browser.get(authorizeUrl(server.issuer(), "k8s", redirectUri(), Pkce.create(),
                "e", "&max_age=0"));
        assertEquals(200, tooOld.statusCode(), "max_age=0 asks for a fresh login");
        HttpResponse<String> tooOldSilent = browser.get(authorizeUrl(server.issuer(), "k8s", redirectUri(), Pkce.create(),
                "f", "&max_age=0&prompt=none"));
        assertEquals("login_required", Browser.query(Browser.location(tooOldSilent)).get("error"));

        HttpResponse<String> forced = browser.get(authorizeUrl(server.issuer(), "k8s", redirectUri(), Pkce.create(),
                "d", "&prompt=login"));
        assertEquals(200, forced.statusCode(), "prompt=login shows the login page despite the session");
        assertTrue(forced.body().contains("name=\"password\""));
    }

    static String atHash(String accessToken) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }
}
