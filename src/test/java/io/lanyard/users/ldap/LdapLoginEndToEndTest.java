package io.lanyard.users.ldap;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.lanyard.testing.Browser;
import io.lanyard.testing.HeadlessChromium;
import io.lanyard.testing.KubeApiserverCheck;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.LoopbackApp;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.Slapd;
import io.lanyard.testing.TcpProxy;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.FederatedUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People from a real OpenLDAP log in on Lanyard's own login form, configured by a Dex-style
 * {@code connectors:} block: their id_token, checked as kube-apiserver checks it, carries a stable
 * {@code sub} and their directory groups (prefixed); a refresh re-reads the directory; a directory
 * that does not answer is a clean, retryable error that keeps the refresh token.
 */
class LdapLoginEndToEndTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static Slapd slapd;
    private static TcpProxy proxy;
    private static LanyardServer server;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        slapd = Slapd.start();
        proxy = new TcpProxy(Integer.parseInt(slapd.plainHost().split(":")[1]));
        Path file = Files.createTempFile("lanyard-connectors", ".yaml");
        // a Dex connectors: block as a team would move it over, plus Lanyard's groupsPrefix
        Files.writeString(file, """
                groups:
                  # a stable Lanyard name for RBAC; the directory decides who is in it
                  - name: platform-developers
                    upstreamMembers: ["corp:developers"]
                connectors:
                  - type: ldap
                    id: corp
                    name: Corporate directory
                    groupsPrefix: "corp:"
                    timeout: 2s
                    config:
                      host: 127.0.0.1:%d
                      insecureNoSSL: true
                      bindDN: %s
                      bindPW: %s
                      usernamePrompt: Corporate username
                      userSearch:
                        baseDN: ou=people,%s
                        filter: "(objectClass=inetOrgPerson)"
                        username: uid
                        idAttr: DN
                        emailAttr: mail
                        nameAttr: cn
                        preferredUsernameAttr: uid
                      groupSearch:
                        baseDN: ou=groups,%s
                        nameAttr: cn
                        userMatchers:
                          - userAttr: DN
                            groupAttr: member
                            recursionGroupAttr: member
                          - userAttr: uid
                            groupAttr: memberUid
                """.formatted(proxy.port(), Slapd.SERVICE_DN, Slapd.SERVICE_PASSWORD, Slapd.SUFFIX, Slapd.SUFFIX));
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        props.put("lanyard.config", file.toString());
        server = LanyardServer.start(props);
        secret = server.createWebClient("app", REDIRECT);
        server.createDeviceClient("kubectl");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String authorizeUrl(Pkce pkce) {
        return authorizeUrl(pkce, "");
    }

    private static String authorizeUrl(Pkce pkce, String extra) {
        return server.url("/authorize?response_type=code&client_id=app&redirect_uri=" + enc(REDIRECT)
                + "&scope=" + enc("openid email profile groups offline_access") + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + extra);
    }

    /** Logs in on the form and redeems the code: the token response. */
    private static Map<String, Object> login(String username, String password) throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), authorizeUrl(pkce), username, password);
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
    void inARealBrowserADirectoryPersonSignsInOnTheSameForm() throws Exception {
        try (LoopbackApp app = new LoopbackApp(); HeadlessChromium chromium = HeadlessChromium.start("ldap-login")) {
            server.createPublicClient("browser-app", app.url());
            ChromeDriver driver = chromium.driver();
            Pkce pkce = Pkce.create();
            driver.get(server.url("/authorize?response_type=code&client_id=browser-app&redirect_uri=" + enc(app.url())
                    + "&scope=" + enc("openid email groups") + "&state=s1&code_challenge=" + pkce.challenge()
                    + "&code_challenge_method=S256"));
            driver.findElement(By.id("username")).sendKeys("alice");
            driver.findElement(By.id("password")).sendKeys("alice-secret");
            driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
            Map<String, String> answer = app.awaitRedirect(20, driver.getCurrentUrl());
            assertEquals("s1", answer.get("state"));
            HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&client_id=browser-app"
                    + "&code=" + enc(answer.get("code")) + "&redirect_uri=" + enc(app.url()) + "&code_verifier="
                    + pkce.verifier());
            assertEquals(200, tokens.statusCode(), tokens.body());
            JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "browser-app")
                    .verify((String) JSONObjectUtils.parse(tokens.body()).get("id_token"));
            assertEquals(FederatedUsers.idOf("corp", "uid=alice,ou=people," + Slapd.SUFFIX), id.getSubject());
            assertTrue(id.getStringListClaim("groups").contains("corp:developers"), id.toString());
        }
    }

    @Test
    void directoryPeopleLogInWithAStableSubAndTheirPrefixedGroups() throws Exception {
        JWTClaimsSet first = idToken(login("alice", "alice-secret"));
        String dn = "uid=alice,ou=people," + Slapd.SUFFIX;
        assertEquals(FederatedUsers.idOf("corp", dn), first.getSubject());
        assertEquals("alice@example.org", first.getStringClaim("email"));
        assertEquals(true, first.getBooleanClaim("email_verified"));
        assertEquals("alice", first.getStringClaim("preferred_username"));
        assertEquals(List.of("corp:developers", "corp:engineering", "corp:staff", "platform-developers"),
                first.getStringListClaim("groups"));
        assertEquals(first.getSubject(), idToken(login("ALICE", "alice-secret")).getSubject(), "the same sub every time");

        JWTClaimsSet owen = idToken(login("o*brien(x)", "obrien-secret"));
        assertEquals(FederatedUsers.idOf("corp", "uid=o*brien(x),ou=people," + Slapd.SUFFIX), owen.getSubject());
    }

    @Test
    void wrongEmptyAndInjectedPasswordsAndNamesGetTheLoginPageAgain() throws Exception {
        for (String[] attempt : List.of(new String[] {"alice", "wrong"}, new String[] {"alice", ""},
                new String[] {"*", "alice-secret"}, new String[] {"alice)(uid=*", "alice-secret"},
                new String[] {"nobody", "x"})) {
            Browser browser = new Browser();
            HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create()));
            HttpResponse<String> answer = browser.submitLogin(server.url(""), page, attempt[0], attempt[1]);
            assertTrue(answer.statusCode() == 401 || answer.statusCode() == 400, attempt[0] + ": " + answer.statusCode());
            assertTrue(answer.body().contains("id=\"password\""), "the form again for " + attempt[0]);
        }
    }

    /**
     * The directory owns a person's name: a name handed on to another entry moves with it instead of
     * failing the login; a verified email someone else holds stays theirs; an administrator can disable
     * a directory person but not rename them or give them a password.
     */
    @Test
    void theDirectoryOwnsNamesAndLanyardMayOnlyDisable() throws Exception {
        FederatedUsers federated = server.bean(FederatedUsers.class);
        io.lanyard.users.ConnectorSettings corp = new io.lanyard.users.ConnectorSettings("corp", "Corp", "corp:", null);
        server.createUser("erin", "erin's long password", "shared@example.org");
        io.lanyard.users.User first = federated.remember(corp, new io.lanyard.users.UpstreamIdentity(
                "guid-1", "zed", null, "shared@example.org", true, "Zed One", List.of()));
        assertEquals(false, first.emailVerified(), "erin holds that verified address");
        io.lanyard.users.User second = federated.remember(corp, new io.lanyard.users.UpstreamIdentity(
                "guid-2", "ZED", null, "zed2@example.org", true, "Zed Two", List.of()));
        assertEquals("ZED", second.username());

        io.lanyard.users.UserService users = server.bean(io.lanyard.users.UserService.class);
        Map<String, Object> tokens = login("alice", "alice-secret");
        users.setDisabled("corp/alice", true);
        Browser browser = new Browser();
        assertEquals(401, browser.submitLogin(server.url(""), browser.get(authorizeUrl(Pkce.create())), "alice",
                "alice-secret").statusCode(), "disabled in Lanyard");
        assertEquals(400, refresh(tokens.get("refresh_token")).statusCode());
        users.setDisabled("corp/alice", false);
        assertEquals("alice@example.org", idToken(login("alice", "alice-secret")).getStringClaim("email"),
                "enabled again, and still found under the connector's name");
        org.junit.jupiter.api.Assertions.assertThrows(io.lanyard.users.InvalidEntryException.class,
                () -> users.setPassword("corp/alice", "a local password for alice"));
        org.junit.jupiter.api.Assertions.assertThrows(io.lanyard.users.InvalidEntryException.class,
                () -> users.update("corp/alice", u -> new io.lanyard.users.User(u.id(), "mallory", u.email(),
                        u.emailVerified(), u.displayName(), u.disabled())));
    }

    /** A browser session of a directory person lasts only while the directory still has them. */
    @Test
    void aSessionEndsWhenTheDirectoryNoLongerHasThePerson() throws Exception {
        try (LDAPConnection admin = slapd.admin()) {
            admin.add("uid=frank,ou=people," + Slapd.SUFFIX, new com.unboundid.ldap.sdk.Attribute("objectClass",
                    "inetOrgPerson"), new com.unboundid.ldap.sdk.Attribute("uid", "frank"),
                    new com.unboundid.ldap.sdk.Attribute("cn", "Frank"), new com.unboundid.ldap.sdk.Attribute("sn", "F"),
                    new com.unboundid.ldap.sdk.Attribute("mail", "frank@example.org"),
                    new com.unboundid.ldap.sdk.Attribute("userPassword", "frank-secret"));
            Browser browser = new Browser();
            browser.login(server.url(""), authorizeUrl(Pkce.create()), "frank", "frank-secret");
            assertEquals(302, browser.get(authorizeUrl(Pkce.create())).statusCode(), "the session skips the form");
            assertEquals(200, browser.get(authorizeUrl(Pkce.create(), "&connector_id=local")).statusCode(),
                    "connector_id=local: a directory person's session does not count");

            admin.delete("uid=frank,ou=people," + Slapd.SUFFIX);
            HttpResponse<String> after = browser.get(authorizeUrl(Pkce.create()));
            assertEquals(200, after.statusCode(), "the login form, not a code");
            assertTrue(after.body().contains("id=\"password\""));
        }
    }

    /** A directory person's tokens are as good as a local user's: userinfo, introspection, the device flow. */
    @Test
    void aDirectoryPersonsTokensWorkWhereverALocalUsersDo() throws Exception {
        Map<String, Object> tokens = login("alice", "alice-secret");
        HttpResponse<String> userinfo = LanyardServer.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.url("/userinfo"))).header("Authorization", "Bearer " + tokens.get("access_token"))
                .GET().build());
        assertEquals(200, userinfo.statusCode(), userinfo.body());
        assertEquals("alice@example.org", JSONObjectUtils.parse(userinfo.body()).get("email"));
        HttpResponse<String> introspected = server.postForm("/introspect", "token=" + tokens.get("access_token"),
                "Authorization", LanyardServer.basic("app", secret));
        Map<String, Object> active = JSONObjectUtils.parse(introspected.body());
        assertEquals(true, active.get("active"), introspected.body());
        assertEquals(FederatedUsers.idOf("corp", "uid=alice,ou=people," + Slapd.SUFFIX), active.get("sub"));

        // the device flow's sign-in is the same form's check
        Map<String, Object> device = JSONObjectUtils.parse(server.postForm("/device/code",
                "client_id=kubectl&scope=openid%20email%20groups").body());
        Browser browser = new Browser();
        Map<String, String> enter = Browser.hiddenFields(browser.get(server.url("/device")).body());
        enter.put("user_code", (String) device.get("user_code"));
        Map<String, String> signIn = Browser.hiddenFields(browser.post(server.url("/device"), enter).body());
        signIn.put("username", "alice");
        signIn.put("password", "alice-secret");
        HttpResponse<String> confirm = browser.post(server.url("/device/login"), signIn);
        assertEquals(200, confirm.statusCode(), confirm.body());
        Map<String, String> decision = Browser.hiddenFields(confirm.body());
        decision.put("decision", "approve");
        assertEquals(200, browser.post(server.url("/device/decision"), decision).statusCode());
        HttpResponse<String> polled = server.postForm("/token", "grant_type="
                + enc("urn:ietf:params:oauth:grant-type:device_code") + "&client_id=kubectl&device_code="
                + enc((String) device.get("device_code")));
        assertEquals(200, polled.statusCode(), polled.body());
        JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "kubectl")
                .verify((String) JSONObjectUtils.parse(polled.body()).get("id_token"));
        assertTrue(id.getStringListClaim("groups").contains("corp:developers"), id.toString());
    }

    /**
     * Lanyard's own users come first on the shared form; Dex's {@code connector_id} (what kubelogin sends
     * with --oidc-auth-request-extra-params) picks one source, and one that does not exist is an error.
     */
    @Test
    void connectorIdPicksTheSourceTheFormChecks() throws Exception {
        server.createUser("dave", "dave's local password", "dave@local.example");
        try (LDAPConnection admin = slapd.admin()) {
            admin.add("uid=dave,ou=people," + Slapd.SUFFIX, new com.unboundid.ldap.sdk.Attribute("objectClass",
                    "inetOrgPerson"), new com.unboundid.ldap.sdk.Attribute("uid", "dave"),
                    new com.unboundid.ldap.sdk.Attribute("cn", "Dave Directory"), new com.unboundid.ldap.sdk.Attribute("sn",
                    "Directory"), new com.unboundid.ldap.sdk.Attribute("mail", "dave@example.org"),
                    new com.unboundid.ldap.sdk.Attribute("userPassword", "dave-directory-secret"));
        }
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create()));
        assertEquals(401, browser.submitLogin(server.url(""), page, "dave", "dave-directory-secret").statusCode(),
                "the local dave is asked first, with his own password");

        Pkce pkce = Pkce.create();
        String location = new Browser().login(server.url(""), authorizeUrl(pkce, "&connector_id=corp"), "dave",
                "dave-directory-secret");
        Map<String, Object> tokens = JSONObjectUtils.parse(server.postForm("/token", "grant_type=authorization_code&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
                + pkce.verifier(), "Authorization", LanyardServer.basic("app", secret)).body());
        assertEquals("dave@example.org", idToken(tokens).getStringClaim("email"));

        Browser local = new Browser();
        HttpResponse<String> localPage = local.get(authorizeUrl(Pkce.create(), "&connector_id=local"));
        assertEquals(401, local.submitLogin(server.url(""), localPage, "alice", "alice-secret").statusCode(),
                "connector_id=local: Lanyard's own users only");

        HttpResponse<String> unknown = new Browser().get(authorizeUrl(Pkce.create(), "&connector_id=github"));
        assertEquals(302, unknown.statusCode());
        assertEquals("invalid_request", Browser.query(Browser.location(unknown)).get("error"));
    }

    @Test
    void aRefreshRereadsTheDirectory() throws Exception {
        Map<String, Object> tokens = login("carol", "carol-secret");
        assertEquals(List.of("corp:staff"), idToken(tokens).getStringListClaim("groups"));
        try (LDAPConnection admin = slapd.admin()) {
            admin.modify("cn=staff,ou=groups," + Slapd.SUFFIX, new Modification(ModificationType.DELETE, "memberUid",
                    "carol"));
            HttpResponse<String> moved = refresh(tokens.get("refresh_token"));
            assertEquals(200, moved.statusCode(), moved.body());
            Map<String, Object> after = JSONObjectUtils.parse(moved.body());
            assertEquals(List.of(), idToken(after).getStringListClaim("groups"), "no groups left");

            admin.delete("uid=carol,ou=people," + Slapd.SUFFIX);
            HttpResponse<String> gone = refresh(after.get("refresh_token"));
            assertEquals(400, gone.statusCode(), gone.body());
            assertEquals("invalid_grant", JSONObjectUtils.parse(gone.body()).get("error"));
        }
    }

    @Test
    void aDirectoryThatIsDownAtRefreshIsARetryableErrorAndTheRefreshTokenSurvives() throws Exception {
        Map<String, Object> tokens = login("bob", "bob-secret");
        proxy.cut();
        try {
            HttpResponse<String> down = refresh(tokens.get("refresh_token"));
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("temporarily_unavailable", JSONObjectUtils.parse(down.body()).get("error"));
            // a login meanwhile gets a page that says so, and may be retried
            Browser browser = new Browser();
            HttpResponse<String> page = browser.get(authorizeUrl(Pkce.create()));
            HttpResponse<String> login = browser.submitLogin(server.url(""), page, "bob", "bob-secret");
            assertEquals(503, login.statusCode(), login.body());
            assertTrue(login.body().contains("cannot be reached right now"), login.body());
            assertTrue(login.headers().firstValue("Retry-After").isPresent());
        } finally {
            proxy.restore();
        }
        HttpResponse<String> back = refresh(tokens.get("refresh_token"));
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(idToken(JSONObjectUtils.parse(back.body())).getStringListClaim("groups").contains("corp:engineering"));
    }
}
