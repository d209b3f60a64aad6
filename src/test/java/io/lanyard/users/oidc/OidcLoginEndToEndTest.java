package io.lanyard.users.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.testing.Browser;
import io.lanyard.testing.HeadlessChromium;
import io.lanyard.testing.KubeApiserverCheck;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.LoopbackApp;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.tls.DevCaRun;
import io.lanyard.users.FederatedUsers;
import io.lanyard.users.GroupService;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People sign in to Lanyard with the account they have at an upstream OpenID provider: a second real
 * Lanyard over HTTPS with a certificate from the dev CA, configured by a Dex-style {@code type: oidc}
 * block. Their id_token, checked as kube-apiserver checks it, carries a {@code sub} derived from the
 * connector and the upstream's {@code sub} and the upstream's groups (prefixed, and as a Lanyard group
 * that lists them); a refresh re-validates them with the upstream.
 */
class OidcLoginEndToEndTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static final String PASSWORD = "upstream alice's passphrase";
    @TempDir
    static Path tls;
    private static LanyardServer upstream;
    private static LanyardServer server;
    private static SSLContext trustDevCa;
    private static String secret;
    private static String upstreamAliceId;
    private static Map<String, Object> serverProps;

    @BeforeAll
    static void start() throws Exception {
        DevCaRun.ok(tls, "--host", "localhost", "--host", "127.0.0.1");
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        String issuer = (String) props.get("lanyard.issuer");
        upstream = LanyardServer.start(LanyardServer.withTls(LanyardServer.defaults(TestDatabases.freshPostgres()),
                tls.resolve("server.pem"), tls.resolve("server-key.pem"), "localhost"));
        upstreamAliceId = upstream.createUser("alice", PASSWORD, "alice@example.com", "developers", "admins");
        upstream.createUser("bob", PASSWORD, "bob@example.com", "developers");
        String upstreamSecret = upstream.createWebClient("lanyard-downstream", issuer + "/callback");
        Path file = tls.resolve("connectors.yaml");
        // a Dex connectors: block as a team would move it over, plus Lanyard's groupsPrefix
        Files.writeString(file, """
                groups:
                  - name: platform-admins
                    upstreamMembers: ["sso:admins"]
                connectors:
                  - type: oidc
                    id: sso
                    name: Company SSO
                    groupsPrefix: "sso:"
                    config:
                      issuer: %s
                      clientID: lanyard-downstream
                      clientSecret: %s
                      redirectURI: %s/callback
                      scopes: [profile, email, groups]
                      insecureEnableGroups: true
                      rootCAs: [ca.pem]
                  - type: oidc
                    id: down
                    name: Switched-off SSO
                    timeout: 1s
                    config:
                      issuer: https://127.0.0.1:%d
                      clientID: nobody
                      clientSecret: nothing
                """.formatted(upstream.issuer(), upstreamSecret, issuer, closedPort()));
        props.put("lanyard.config", file.toString());
        serverProps = props;
        server = LanyardServer.start(props);
        secret = server.createWebClient("app", REDIRECT);
        trustDevCa = LanyardServer.sslTrusting(tls.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String authorizeUrl(Pkce pkce, String extra) {
        return server.url("/authorize?response_type=code&client_id=app&redirect_uri=" + enc(REDIRECT)
                + "&scope=" + enc("openid email profile groups offline_access") + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + extra);
    }

    /** The login page's button for {@code connector}: its form, posted. */
    private static HttpResponse<String> pressButton(Browser browser, HttpResponse<String> loginPage, String connector) {
        assertTrue(loginPage.body().contains("Sign in with Company SSO"), loginPage.body());
        Map<String, String> form = Browser.hiddenFields(loginPage.body());
        form.put("connector", connector);
        form.remove("handle");
        return browser.post(server.url("/login/upstream"), form);
    }

    /** Through the button to the upstream's login form: the callback URL the upstream sends the browser to. */
    private static String signInUpstream(Browser browser, Pkce pkce, String username) {
        HttpResponse<String> page = browser.get(authorizeUrl(pkce, ""));
        assertEquals(200, page.statusCode(), page.body());
        HttpResponse<String> leaving = pressButton(browser, page, "sso");
        assertEquals(303, leaving.statusCode(), leaving.body());
        String upstreamAuthorize = Browser.location(leaving);
        assertTrue(upstreamAuthorize.startsWith(upstream.issuer() + "/authorize?"), upstreamAuthorize);
        Map<String, String> sent = Browser.query(upstreamAuthorize);
        assertEquals("S256", sent.get("code_challenge_method"));
        assertFalse(sent.get("nonce").isEmpty());
        assertTrue(sent.get("scope").contains("offline_access"), sent.get("scope"));
        String callback = browser.login(upstream.issuer(), upstreamAuthorize, username, PASSWORD);
        assertTrue(callback.startsWith(server.issuer() + "/callback?"), callback);
        return callback;
    }

    /** A whole login through the upstream: the token response for the app. */
    private static Map<String, Object> login(String username) throws Exception {
        Browser browser = new Browser(trustDevCa);
        Pkce pkce = Pkce.create();
        HttpResponse<String> back = browser.get(signInUpstream(browser, pkce, username));
        assertEquals(302, back.statusCode(), back.body());
        return redeem(Browser.location(back), pkce);
    }

    private static Map<String, Object> redeem(String location, Pkce pkce) throws Exception {
        assertTrue(location.startsWith(REDIRECT), location);
        HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
                + pkce.verifier(), "Authorization", LanyardServer.basic("app", secret));
        assertEquals(200, tokens.statusCode(), tokens.body());
        return JSONObjectUtils.parse(tokens.body());
    }

    private static HttpResponse<String> refresh(Object refreshToken) {
        return server.postForm("/token", "grant_type=refresh_token&refresh_token=" + refreshToken,
                "Authorization", LanyardServer.basic("app", secret));
    }

    private static JWTClaimsSet idToken(Map<String, Object> tokens) throws Exception {
        return new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "app").verify((String) tokens.get("id_token"));
    }

    @Test
    void upstreamPeopleSignInWithAStableSubAndTheirPrefixedGroups() throws Exception {
        JWTClaimsSet first = idToken(login("alice"));
        String expected = FederatedUsers.idOf("sso", upstreamAliceId);
        assertEquals(expected, first.getSubject());
        assertNotEquals(upstreamAliceId, first.getSubject());
        assertEquals("alice@example.com", first.getStringClaim("email"));
        assertEquals(Boolean.TRUE, first.getBooleanClaim("email_verified"));
        assertEquals("alice", first.getStringClaim("preferred_username"));
        assertEquals("alice Example", first.getStringClaim("name"));
        List<String> groups = first.getStringListClaim("groups");
        assertTrue(groups.containsAll(List.of("sso:developers", "sso:admins", "platform-admins")), groups.toString());
        // the same person again: the same sub, and no second row
        assertEquals(expected, idToken(login("alice")).getSubject());
        long rows = server.bean(UserService.class).list().stream()
                .filter(u -> u.user().id().equals(expected)).count();
        assertEquals(1, rows);
    }

    @Test
    void theDeviceFlowSignsInThroughTheUpstreamAndIntrospectionKnowsThePerson() throws Exception {
        server.createDeviceClient("kubectl");
        Map<String, Object> device = JSONObjectUtils.parse(server.postForm("/device/code",
                "client_id=kubectl&scope=" + enc("openid email groups offline_access")).body());
        Browser browser = new Browser(trustDevCa);
        Map<String, String> enter = Browser.hiddenFields(browser.get(server.url("/device")).body());
        enter.put("user_code", (String) device.get("user_code"));
        HttpResponse<String> signIn = browser.post(server.url("/device"), enter);
        assertTrue(signIn.body().contains("Sign in with Company SSO"), signIn.body());
        Map<String, String> button = Browser.hiddenFields(signIn.body());
        button.put("connector", "sso");
        HttpResponse<String> leaving = browser.post(server.url("/login/upstream"), button);
        assertEquals(303, leaving.statusCode(), leaving.body());
        String callback = browser.login(upstream.issuer(), Browser.location(leaving), "alice", PASSWORD);
        HttpResponse<String> back = browser.get(callback);
        // signed in; one click on this site carries the device page's SameSite=Strict CSRF cookie again
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(back.body().contains("signed in as <strong>alice</strong>"), back.body());
        HttpResponse<String> confirm = browser.post(server.url("/device/resume"), Browser.hiddenFields(back.body()));
        assertEquals(200, confirm.statusCode(), confirm.body());
        Map<String, String> decision = Browser.hiddenFields(confirm.body());
        decision.put("decision", "approve");
        assertEquals(200, browser.post(server.url("/device/decision"), decision).statusCode());
        HttpResponse<String> polled = server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:device_code") + "&client_id=kubectl&device_code="
                + enc((String) device.get("device_code")));
        assertEquals(200, polled.statusCode(), polled.body());
        Map<String, Object> tokens = JSONObjectUtils.parse(polled.body());
        JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "kubectl")
                .verify((String) tokens.get("id_token"));
        assertEquals(FederatedUsers.idOf("sso", upstreamAliceId), id.getSubject());
        assertTrue(id.getStringListClaim("groups").contains("sso:developers"), id.toString());
        // a refresh of the device's tokens re-validates with the upstream too
        HttpResponse<String> refreshed = server.postForm("/token", "grant_type=refresh_token&client_id=kubectl"
                + "&refresh_token=" + tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        // introspection answers for the federated person as for a local one
        Map<String, Object> web = login("alice");
        Map<String, Object> active = JSONObjectUtils.parse(server.postForm("/introspect", "token="
                + web.get("access_token"), "Authorization", LanyardServer.basic("app", secret)).body());
        assertEquals(true, active.get("active"));
        assertEquals(FederatedUsers.idOf("sso", upstreamAliceId), active.get("sub"));
    }

    @Test
    void connectorIdSendsTheBrowserStraightToTheUpstream() {
        Browser browser = new Browser(trustDevCa);
        HttpResponse<String> answer = browser.get(authorizeUrl(Pkce.create(), "&connector_id=sso"));
        assertEquals(302, answer.statusCode(), answer.body());
        assertTrue(Browser.location(answer).startsWith(upstream.issuer() + "/authorize?"));
        // offline_access asked: a refresh token asked of the upstream too, with Dex's prompt=consent
        assertEquals("consent", Browser.query(Browser.location(answer)).get("prompt"));
        // prompt=login and max_age are the upstream's to honour: its session must not stand in for a login
        Map<String, String> fresh = Browser.query(Browser.location(browser.get(authorizeUrl(Pkce.create(),
                "&connector_id=sso&prompt=login&max_age=60"))));
        assertEquals("login consent", fresh.get("prompt"));
        assertEquals("60", fresh.get("max_age"));
        // a password source named in connector_id: the form, without the upstream's button
        HttpResponse<String> local = browser.get(authorizeUrl(Pkce.create(), "&connector_id=local"));
        assertEquals(200, local.statusCode());
        assertFalse(local.body().contains("Sign in with Company SSO"), local.body());
    }

    @Test
    void aRefreshReValidatesWithTheUpstreamAndFollowsItsGroups() throws Exception {
        upstream.createUser("carol", PASSWORD, "carol@example.com", "developers", "admins");
        Map<String, Object> tokens = login("carol");
        assertTrue(idToken(tokens).getStringListClaim("groups").contains("sso:admins"));
        upstream.bean(GroupService.class).removeUser("admins", "carol");
        HttpResponse<String> refreshed = refresh(tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        Map<String, Object> next = JSONObjectUtils.parse(refreshed.body());
        List<String> groups = idToken(next).getStringListClaim("groups");
        assertTrue(groups.contains("sso:developers") && !groups.contains("sso:admins")
                && !groups.contains("platform-admins"), groups.toString());
        // deleted upstream: the next refresh is refused, and the family is gone with it
        upstream.bean(UserService.class).delete("carol");
        HttpResponse<String> gone = refresh(next.get("refresh_token"));
        assertEquals(400, gone.statusCode(), gone.body());
        assertEquals("invalid_grant", JSONObjectUtils.parse(gone.body()).get("error"));
    }

    @Test
    void aCallbackCountsOnceAndOnlyInTheBrowserThatLeft() {
        Browser victim = new Browser(trustDevCa);
        String callback = signInUpstream(new Browser(trustDevCa), Pkce.create(), "bob");
        // the attacker's own callback opened in a victim's browser (login CSRF): refused
        HttpResponse<String> elsewhere = victim.get(callback);
        assertEquals(400, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("expired or was already used"), elsewhere.body());
        assertTrue(victim.cookies().getCookieStore().getCookies().stream()
                .noneMatch(c -> c.getName().contains("lanyard_session")));
        // and a state that was tried once is spent, even in the right browser
        Browser browser = new Browser(trustDevCa);
        String own = signInUpstream(browser, Pkce.create(), "bob");
        assertEquals(302, browser.get(own).statusCode());
        assertEquals(400, browser.get(own).statusCode());
        assertEquals(400, browser.get(server.url("/callback?state=made-up&code=x")).statusCode());
    }

    /**
     * The pending login is in the database: the callback may reach another replica (or this one after a
     * restart), and two callbacks racing with the same state sign in once.
     */
    @Test
    void anyReplicaTakesTheCallbackAndOnlyOneOfTwoRacingCallbacksCounts() throws Exception {
        try (LanyardServer replica = LanyardServer.replicaOf(serverProps, Map.of(
                "lanyard.config", serverProps.get("lanyard.config"), "lanyard.issuer", server.issuer()))) {
            Browser browser = new Browser(trustDevCa);
            Pkce pkce = Pkce.create();
            String callback = signInUpstream(browser, pkce, "bob");
            String onReplica = callback.replace(server.url(""), replica.url(""));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> browser.get(onReplica));
                var second = pool.submit(() -> browser.get(callback));
                List<Integer> statuses = new java.util.ArrayList<>(List.of(first.get().statusCode(),
                        second.get().statusCode()));
                java.util.Collections.sort(statuses);
                assertEquals(List.of(302, 400), statuses);
                HttpResponse<String> won = first.get().statusCode() == 302 ? first.get() : second.get();
                assertEquals(FederatedUsers.idOf("sso", bobUpstreamId()),
                        idToken(redeem(Browser.location(won), pkce)).getSubject());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String bobUpstreamId() {
        return upstream.bean(UserService.class).find("bob").orElseThrow().user().id();
    }

    @Test
    void aCallbackNamingAnotherIssuerIsAMixUpAndRefused() {
        Browser browser = new Browser(trustDevCa);
        String callback = signInUpstream(browser, Pkce.create(), "bob");
        String forged = callback.replace("iss=" + enc(upstream.issuer()), "iss=" + enc("https://evil.example"));
        assertNotEquals(callback, forged);
        HttpResponse<String> answer = browser.get(forged);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("did not come from Company SSO"), answer.body());
        // the upstream always sends iss (its metadata says so): a callback without it is refused too
        String bare = signInUpstream(browser, Pkce.create(), "bob").replaceAll("&iss=[^&]*", "");
        assertEquals(401, browser.get(bare).statusCode());
    }

    @Test
    void anUpstreamErrorBringsThePersonBackToTheLoginPage() {
        Browser browser = new Browser(trustDevCa);
        HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create(), ""));
        String upstreamAuthorize = Browser.location(pressButton(browser, page, "sso"));
        String state = Browser.query(upstreamAuthorize).get("state");
        HttpResponse<String> answer = browser.get(server.url("/callback?error=access_denied&state=" + enc(state)
                + "&iss=" + enc(upstream.issuer())));
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Company SSO did not sign you in."), answer.body());
        assertTrue(answer.body().contains("name=\"password\""), "the login page again: " + answer.body());
    }

    @Test
    void anUnreachableUpstreamIsAPageThatSaysSoAndNothingIsStored() {
        Browser browser = new Browser(trustDevCa);
        HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create(), ""));
        HttpResponse<String> answer = pressButton(browser, page, "down");
        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Switched-off SSO cannot be reached"), answer.body());
        assertEquals("5", answer.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void theLoginPageButtonNeedsItsCsrfToken() {
        Browser browser = new Browser(trustDevCa);
        HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create(), ""));
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("connector", "sso");
        form.put("csrf_token", "x".repeat(43));
        assertEquals(403, browser.post(server.url("/login/upstream"), form).statusCode());
        form.put("csrf_token", Browser.hiddenFields(page.body()).get("csrf_token"));
        form.put("connector", "nonesuch");
        assertEquals(400, browser.post(server.url("/login/upstream"), form).statusCode());
    }

    @Test
    void inARealBrowserTheButtonLeadsThroughTheUpstreamAndBack() throws Exception {
        LoopbackApp app = new LoopbackApp();
        String appUrl = app.url();
        server.createPublicClient("browser-app", appUrl);
        // the upstream's certificate is trusted by its key alone, as a browser with the dev CA installed would
        X509Certificate upstreamCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(tls.resolve("server.pem")));
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(upstreamCert.getPublicKey().getEncoded()));
        try (HeadlessChromium chromium = HeadlessChromium.start("oidc-login",
                "--ignore-certificate-errors-spki-list=" + spki)) {
            ChromeDriver driver = chromium.driver();
            Pkce pkce = Pkce.create();
            driver.get(server.url("/authorize?response_type=code&client_id=browser-app&redirect_uri=" + enc(appUrl)
                    + "&scope=" + enc("openid email groups") + "&state=s1&code_challenge=" + pkce.challenge()
                    + "&code_challenge_method=S256"));
            driver.findElement(By.xpath("//button[normalize-space()='Sign in with Company SSO']")).click();
            chromium.waitFor("the upstream's login page").until(d -> d.getCurrentUrl().startsWith(upstream.issuer()));
            driver.findElement(By.id("username")).sendKeys("alice");
            driver.findElement(By.id("password")).sendKeys(PASSWORD);
            driver.findElement(By.cssSelector("form button[type=submit]")).click();
            Map<String, String> answer = app.awaitRedirect(20, driver.getCurrentUrl());
            assertEquals("s1", answer.get("state"));
            assertEquals(server.issuer(), answer.get("iss"));
            HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&client_id=browser-app"
                    + "&code=" + enc(answer.get("code")) + "&redirect_uri=" + enc(appUrl) + "&code_verifier="
                    + pkce.verifier());
            assertEquals(200, tokens.statusCode(), tokens.body());
            JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "browser-app")
                    .verify((String) JSONObjectUtils.parse(tokens.body()).get("id_token"));
            assertEquals(FederatedUsers.idOf("sso", upstreamAliceId), id.getSubject());
        } finally {
            app.close();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
