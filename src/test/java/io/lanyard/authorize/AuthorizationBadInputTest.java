package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way the code flow can be misused, checked as a client or a browser would see it: pages
 * that never redirect before the redirect URI is trusted, RFC 6749 error redirects with state
 * after, and invalid_grant at the token endpoint.
 */
class AuthorizationBadInputTest {
    private static final String PASSWORD = "a long enough password";
    private static final String REDIRECT = "http://localhost:8000/callback";
    private static LanyardServer server;
    private static MutableClock clock;
    private static String webSecret;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshPostgres());
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        clock = server.bean(MutableClock.class);
        server.createUser("bob", PASSWORD, "bob@example.com", "viewers");
        server.createUser("carol", PASSWORD, "carol@example.com");
        server.createPublicClient("cli", REDIRECT, "https://app.example.com/cb");
        server.createPublicClient("other-cli", REDIRECT);
        webSecret = server.createWebClient("web", "https://web.example.com/cb");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String authorize(String query) {
        return server.url("/authorize?" + query);
    }

    private static String codeRequest(String clientId, String redirectUri, Pkce pkce, String state) {
        return "response_type=code&client_id=" + clientId + "&redirect_uri=" + enc(redirectUri)
                + "&scope=" + enc("openid email groups offline_access") + "&state=" + state
                + (pkce == null ? "" : "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> redeem(String clientId, String code, String redirectUri, String verifier) {
        return server.postForm("/token", "grant_type=authorization_code&client_id=" + clientId + "&code=" + code
                + "&redirect_uri=" + enc(redirectUri) + (verifier == null ? "" : "&code_verifier=" + verifier));
    }

    private static HttpResponse<String> refresh(String clientId, String token) {
        return server.postForm("/token", "grant_type=refresh_token&client_id=" + clientId + "&refresh_token=" + token);
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return (String) JSONObjectUtils.parse(response.body()).get("error");
    }

    /** Logs bob in and returns a fresh code for the cli client. */
    private static String code(Pkce pkce) {
        String location = new Browser().login(server.url(""), authorize(codeRequest("cli", REDIRECT, pkce, "x")), "bob", PASSWORD);
        return Browser.query(location).get("code");
    }

    private static void assertErrorPage(HttpResponse<String> response) {
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Location").isEmpty(), "never redirected");
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    }

    private static Map<String, String> assertRedirectedError(HttpResponse<String> response, String base, String error) {
        assertEquals(302, response.statusCode(), response.body());
        String location = Browser.location(response);
        assertTrue(location.startsWith(base + "?"), location);
        Map<String, String> query = Browser.query(location);
        assertEquals(error, query.get("error"), location);
        return query;
    }

    @Test
    void unregisteredOrAlteredRedirectUrisGetAPageAndNoRedirect() {
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        assertErrorPage(browser.get(authorize(codeRequest("cli", "https://evil.example.com/cb", pkce, "s"))));
        // altered: trailing slash, other path, case, encoded characters, another port on a non-loopback host
        assertErrorPage(browser.get(authorize(codeRequest("cli", "http://localhost:8000/callback/", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("cli", "http://localhost:8000/Callback", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("cli", "http://localhost:8000/%63allback", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("cli", "https://app.example.com:8443/cb", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("cli", "http://localhost.evil.com:8000/callback", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("cli", "http://localhost:8000@evil.com/callback", pkce, "s"))));
        assertErrorPage(browser.get(authorize(codeRequest("nobody", REDIRECT, pkce, "s"))));
        assertErrorPage(browser.get(authorize("response_type=code&client_id=cli")));
        assertErrorPage(browser.get(authorize("client_id=cli&client_id=web&redirect_uri=" + enc(REDIRECT))));
        assertErrorPage(browser.get(server.url("/authorize")));
        // loopback: any port, nothing else changed, is accepted (RFC 8252 section 7.3)
        HttpResponse<String> loopback = browser.get(authorize(codeRequest("cli", "http://localhost:51234/callback", pkce, "s")));
        assertEquals(200, loopback.statusCode());
    }

    @Test
    void errorsAfterTheRedirectUriIsTrustedGoBackWithState() {
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        Map<String, String> missing = assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, null, "st1"))),
                REDIRECT, "invalid_request");
        assertEquals("st1", missing.get("state"));
        assertEquals(server.issuer(), missing.get("iss"));
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, null, "st")
                + "&code_challenge=" + pkce.verifier() + "&code_challenge_method=plain")), REDIRECT, "invalid_request");
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, null, "st")
                + "&code_challenge=" + pkce.challenge())), REDIRECT, "invalid_request");
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, pkce, "st").replace("response_type=code",
                "response_type=token"))), REDIRECT, "unsupported_response_type");
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, pkce, "st").replace("offline_access",
                "admin"))), REDIRECT, "invalid_scope");
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, pkce, "st") + "&prompt=none%20login")),
                REDIRECT, "invalid_request");
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, pkce, "st") + "&request=eyJ")),
                REDIRECT, "request_not_supported");
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequiredWithState() {
        Map<String, String> answer = assertRedirectedError(new Browser().get(authorize(codeRequest("cli", REDIRECT,
                Pkce.create(), "keep-me") + "&prompt=none")), REDIRECT, "login_required");
        assertEquals("keep-me", answer.get("state"));
    }

    @Test
    void wrongVerifierMissingVerifierAndVerifierWithoutChallengeAreInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce);
        assertEquals("invalid_grant", error(redeem("cli", code, REDIRECT, Pkce.create().verifier())));
        assertEquals("invalid_grant", error(redeem("cli", code, REDIRECT, null)));
        // a failed PKCE check does not burn the code: the rightful client still redeems it
        assertEquals(200, redeem("cli", code, REDIRECT, pkce.verifier()).statusCode());

        // a confidential client may skip PKCE, but then must not send a verifier
        Browser browser = new Browser();
        String location = browser.login(server.url(""), authorize(codeRequest("web", "https://web.example.com/cb", null, "w")),
                "bob", PASSWORD);
        HttpResponse<String> withVerifier = server.postForm("/token", "grant_type=authorization_code&code="
                        + Browser.query(location).get("code") + "&redirect_uri=" + enc("https://web.example.com/cb")
                        + "&code_verifier=" + pkce.verifier(), "Authorization", LanyardServer.basic("web", webSecret));
        assertEquals(400, withVerifier.statusCode());
        assertEquals("invalid_grant", error(withVerifier));
    }

    @Test
    void codeReuseFailsAndRevokesTheRefreshTokenIssuedFromIt() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce);
        HttpResponse<String> first = redeem("cli", code, REDIRECT, pkce.verifier());
        assertEquals(200, first.statusCode(), first.body());
        String refreshToken = (String) JSONObjectUtils.parse(first.body()).get("refresh_token");
        HttpResponse<String> second = redeem("cli", code, REDIRECT, pkce.verifier());
        assertEquals(400, second.statusCode());
        assertEquals("invalid_grant", error(second));
        assertEquals("invalid_grant", error(refresh("cli", refreshToken)), "tokens from the first redemption are revoked");
    }

    @Test
    void codeFromAnotherClientOrRedirectIsInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce);
        assertEquals("invalid_grant", error(redeem("other-cli", code, REDIRECT, pkce.verifier())));
        assertEquals("invalid_grant", error(redeem("cli", code, "https://app.example.com/cb", pkce.verifier())));
        assertEquals(200, redeem("cli", code, REDIRECT, pkce.verifier()).statusCode());
    }

    @Test
    void expiredCodeIsInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce);
        clock.advance(Duration.ofSeconds(61));
        assertEquals("invalid_grant", error(redeem("cli", code, REDIRECT, pkce.verifier())));
    }

    @Test
    void refreshRetryWithinGraceGetsTheSamePairAndReuseAfterItRevokesTheFamily() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, Object> tokens = JSONObjectUtils.parse(redeem("cli", code(pkce), REDIRECT, pkce.verifier()).body());
        String original = (String) tokens.get("refresh_token");
        HttpResponse<String> first = refresh("cli", original);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> retry = refresh("cli", original);
        assertEquals(200, retry.statusCode(), retry.body());
        Map<String, Object> a = JSONObjectUtils.parse(first.body());
        Map<String, Object> b = JSONObjectUtils.parse(retry.body());
        assertEquals(a.get("refresh_token"), b.get("refresh_token"), "same new refresh token");
        assertEquals(a.get("id_token"), b.get("id_token"));

        clock.advance(Duration.ofSeconds(11));
        assertEquals("invalid_grant", error(refresh("cli", original)), "reuse after the grace window");
        assertEquals("invalid_grant", error(refresh("cli", (String) a.get("refresh_token"))),
                "the whole family is revoked, including the newest token");
    }

    @Test
    void refreshTokenOfAnotherClientIsInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, Object> tokens = JSONObjectUtils.parse(redeem("cli", code(pkce), REDIRECT, pkce.verifier()).body());
        String token = (String) tokens.get("refresh_token");
        assertEquals("invalid_grant", error(refresh("other-cli", token)));
        assertEquals(200, refresh("cli", token).statusCode(), "the other client's attempt did not burn it");
    }

    @Test
    void refreshMayNarrowButNotWidenTheScope() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, Object> tokens = JSONObjectUtils.parse(redeem("cli", code(pkce), REDIRECT, pkce.verifier()).body());
        HttpResponse<String> wider = server.postForm("/token", "grant_type=refresh_token&client_id=cli&scope="
                + enc("openid profile") + "&refresh_token=" + tokens.get("refresh_token"));
        assertEquals("invalid_scope", error(wider));
        HttpResponse<String> narrower = server.postForm("/token", "grant_type=refresh_token&client_id=cli&scope=openid"
                + "&refresh_token=" + tokens.get("refresh_token"));
        assertEquals(200, narrower.statusCode(), narrower.body());
        assertEquals("openid", JSONObjectUtils.parse(narrower.body()).get("scope"));
    }

    @Test
    void aDisabledUserCannotLogInOrRefresh() throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), authorize(codeRequest("cli", REDIRECT, pkce, "c")), "carol", PASSWORD);
        Map<String, Object> tokens = JSONObjectUtils.parse(redeem("cli", Browser.query(location).get("code"), REDIRECT,
                pkce.verifier()).body());
        server.bean(UserService.class).setDisabled("carol", true);
        try {
            assertEquals("invalid_grant", error(refresh("cli", (String) tokens.get("refresh_token"))));
            HttpResponse<String> userinfo = LanyardServer.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.url("/userinfo"))).header("Authorization", "Bearer " + tokens.get("access_token")).build());
            assertEquals(401, userinfo.statusCode());
            assertTrue(userinfo.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));

            Browser browser = new Browser();
            HttpResponse<String> page = browser.get(authorize(codeRequest("cli", REDIRECT, Pkce.create(), "d")));
            HttpResponse<String> disabled = browser.submitLogin(server.url(""), page, "carol", PASSWORD);
            HttpResponse<String> unknown = browser.submitLogin(server.url(""), page, "nobody-here", PASSWORD);
            HttpResponse<String> wrong = browser.submitLogin(server.url(""), page, "bob", "not the password");
            for (HttpResponse<String> failed : new HttpResponse[] {disabled, unknown, wrong}) {
                assertEquals(401, failed.statusCode());
                assertTrue(failed.body().contains("The username or password is incorrect."));
            }
            assertEquals(strip(disabled.body()), strip(unknown.body()), "a disabled account looks like an unknown user");
        } finally {
            server.bean(UserService.class).setDisabled("carol", false);
        }
    }

    @Test
    void aForgedCsrfTokenIsRefusedAndLogsNobodyIn() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(authorize(codeRequest("cli", REDIRECT, Pkce.create(), "f")));
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("csrf_token", "A".repeat(43));
        form.put("username", "bob");
        form.put("password", PASSWORD);
        HttpResponse<String> forged = browser.post(server.url("/login"), form);
        assertEquals(403, forged.statusCode());
        assertFalse(forged.headers().firstValue("Location").isPresent());
        assertTrue(forged.body().contains("This sign-in form has expired"));
        // no session was made: prompt=none still says login_required
        assertRedirectedError(browser.get(authorize(codeRequest("cli", REDIRECT, Pkce.create(), "g") + "&prompt=none")),
                REDIRECT, "login_required");

        // a browser without the cookie at all (a cross-site form post) is refused the same way
        Browser other = new Browser();
        assertEquals(403, other.post(server.url("/login"), Browser.hiddenFields(page.body())).statusCode());
    }

    @Test
    void theLoginPageCannotBeFramedOrCached() {
        HttpResponse<String> page = new Browser().get(authorize(codeRequest("cli", REDIRECT, Pkce.create(), "h")));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(null));
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lanyard_csrf=")).findFirst()
                .orElseThrow();
        assertTrue(cookie.toLowerCase().contains("httponly") && cookie.contains("SameSite=Strict"), cookie);
    }

    /** The page minus its per-request CSRF token. */
    private static String strip(String html) {
        return html.replaceAll("name=\"csrf_token\" value=\"[^\"]*\"", "").replaceAll("value=\"(carol|nobody-here)\"", "");
    }
}
