package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RP-initiated logout and /userinfo, as a relying party and a browser see them. */
class LogoutAndUserInfoTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static LanyardServer server;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        server.createUser("gina", "gina's long password", "gina@example.com", "readers");
        server.createPublicClient("app", REDIRECT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String authorize(String state, String extra) {
        Pkce pkce = Pkce.create();
        return server.url("/authorize?response_type=code&client_id=app&redirect_uri=" + enc(REDIRECT)
                + "&scope=" + enc("openid email groups") + "&state=" + state + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + extra);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Logs gina in with the browser and returns the token response. */
    private static Map<String, Object> tokens(Browser browser) throws Exception {
        Pkce pkce = Pkce.create();
        String location = browser.login(server.url(""), server.url("/authorize?response_type=code&client_id=app"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc("openid email groups") + "&code_challenge="
                + pkce.challenge() + "&code_challenge_method=S256"), "gina", "gina's long password");
        HttpResponse<String> response = server.postForm("/token", "grant_type=authorization_code&client_id=app&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier());
        assertEquals(200, response.statusCode(), response.body());
        return JSONObjectUtils.parse(response.body());
    }

    private static boolean loggedIn(Browser browser) {
        HttpResponse<String> silent = browser.get(authorize("probe", "&prompt=none"));
        return !Browser.location(silent).contains("error=login_required");
    }

    @Test
    void logoutWithAnIdTokenHintEndsTheSessionAndReturnsToTheRegisteredUri() throws Exception {
        Browser browser = new Browser();
        Map<String, Object> tokens = tokens(browser);
        assertTrue(loggedIn(browser));
        HttpResponse<String> logout = browser.get(server.url("/logout?id_token_hint=" + tokens.get("id_token")
                + "&post_logout_redirect_uri=" + enc(REDIRECT) + "&state=bye"));
        assertEquals(303, logout.statusCode(), logout.body());
        assertEquals(REDIRECT + "?state=bye", Browser.location(logout));
        assertTrue(!loggedIn(browser), "prompt=none now says login_required");
    }

    @Test
    void anUnregisteredPostLogoutUriIsRefusedOnAPage() throws Exception {
        Browser browser = new Browser();
        Map<String, Object> tokens = tokens(browser);
        HttpResponse<String> logout = browser.get(server.url("/logout?id_token_hint=" + tokens.get("id_token")
                + "&post_logout_redirect_uri=" + enc("https://evil.example.com/")));
        assertEquals(400, logout.statusCode());
        assertTrue(logout.headers().firstValue("Location").isEmpty());
        assertTrue(loggedIn(browser), "nothing happened");
        assertEquals(400, browser.get(server.url("/logout?id_token_hint=not-a-jwt")).statusCode());
    }

    @Test
    void withoutAHintTheUserConfirmsWithACsrfProtectedForm() throws Exception {
        Browser browser = new Browser();
        tokens(browser);
        HttpResponse<String> ask = browser.get(server.url("/logout?client_id=app&post_logout_redirect_uri=" + enc(REDIRECT)));
        assertEquals(200, ask.statusCode());
        assertTrue(ask.body().contains("Sign out?"));
        assertTrue(loggedIn(browser), "a link alone logs nobody out");

        Map<String, String> form = Browser.hiddenFields(ask.body());
        Map<String, String> forged = new java.util.HashMap<>(form);
        forged.put("csrf_token", "B".repeat(43));
        HttpResponse<String> refused = browser.post(server.url("/logout"), forged);
        assertEquals(403, refused.statusCode());
        assertTrue(loggedIn(browser));

        // the refusal carries a fresh form (a new token); confirming with it signs out
        HttpResponse<String> confirmed = browser.post(server.url("/logout"), Browser.hiddenFields(refused.body()));
        assertEquals(303, confirmed.statusCode(), confirmed.body());
        assertEquals(REDIRECT, Browser.location(confirmed));
        assertTrue(!loggedIn(browser));
    }

    @Test
    void userinfoByHeaderOrFormAndItsRefusals() throws Exception {
        Map<String, Object> tokens = tokens(new Browser());
        String accessToken = (String) tokens.get("access_token");
        HttpResponse<String> byForm = server.postForm("/userinfo", "access_token=" + accessToken);
        assertEquals(200, byForm.statusCode(), byForm.body());
        Map<String, Object> claims = JSONObjectUtils.parse(byForm.body());
        assertEquals("gina@example.com", claims.get("email"));
        assertEquals(java.util.List.of("readers"), claims.get("groups"));
        assertTrue(!claims.containsKey("preferred_username"), "profile was not granted");

        HttpResponse<String> none = server.get("/userinfo");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        HttpResponse<String> garbage = LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/userinfo")))
                .header("Authorization", "Bearer " + accessToken.substring(0, accessToken.length() - 4) + "AAAA").build());
        assertEquals(401, garbage.statusCode());
        assertTrue(garbage.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));

        HttpResponse<String> twice = server.postForm("/userinfo", "access_token=" + accessToken,
                "Authorization", "Bearer " + accessToken);
        assertEquals(400, twice.statusCode());

        // a service's client-credentials token has no user behind it
        String secret = server.createClient("svc", Set.of("openid"), Set.of("openid"), Set.of("api"), null);
        String serviceToken = (String) JSONObjectUtils.parse(server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic("svc", secret)).body()).get("access_token");
        assertEquals(401, LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/userinfo")))
                .header("Authorization", "Bearer " + serviceToken).build()).statusCode());
    }
}
