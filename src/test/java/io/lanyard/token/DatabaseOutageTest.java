package io.lanyard.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.keys.KeysProperties;
import io.lanyard.testing.Browser;
import io.lanyard.testing.Eventually;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TcpProxy;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static io.lanyard.testing.LanyardServer.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL goes away under a running replica: tokens keep coming from memory, and it recovers by itself. */
class DatabaseOutageTest {

    @Test
    void tokensKeepFlowingWhileTheDatabaseIsAway() throws Exception {
        Map<String, Object> pg = TestDatabases.freshPostgres();
        String[] hostPort = TestDatabases.PG_HOST.split(":");
        try (TcpProxy proxy = new TcpProxy(Integer.parseInt(hostPort[1]))) {
            Map<String, Object> props = new HashMap<>(LanyardServer.defaults(pg));
            props.put("datasources.default.url", ((String) pg.get("datasources.default.url"))
                    .replace(TestDatabases.PG_HOST, "127.0.0.1:" + proxy.port()));
            props.put("datasources.default.connection-timeout", "1000");
            props.put("lanyard.test.mutable-clock", "true");
            try (LanyardServer server = LanyardServer.start(props)) {
                String secret = server.createClient("svc", Set.of(), Set.of(), Set.of("api"), null);
                RemoteVerifier verifier = new RemoteVerifier(server.issuer(), "api");

                proxy.cut();
                Eventually.within(Duration.ofSeconds(10), () -> readiness(server).contains("DOWN since"));
                HttpResponse<String> ready = server.management("/health/readiness");
                assertEquals(200, ready.statusCode(), "a replica that can sign stays ready: " + ready.body());

                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> token = server.postForm("/token", "grant_type=client_credentials",
                            "Authorization", basic("svc", secret));
                    assertEquals(200, token.statusCode(), token.body());
                    verifier.verify((String) JSONObjectUtils.parse(token.body()).get("access_token"));
                }
                assertEquals(200, server.get("/jwks").statusCode());
                // introspecting an access token reads memory only; revoking one and starting a device
                // login need the database, and say so with a 503 the client may retry
                String token = (String) JSONObjectUtils.parse(server.postForm("/token", "grant_type=client_credentials",
                        "Authorization", basic("svc", secret)).body()).get("access_token");
                HttpResponse<String> introspected = server.postForm("/introspect", "token=" + token,
                        "Authorization", basic("svc", secret));
                assertEquals(200, introspected.statusCode(), introspected.body());
                assertEquals(true, JSONObjectUtils.parse(introspected.body()).get("active"));
                HttpResponse<String> revoke = server.postForm("/revoke", "token=" + token,
                        "Authorization", basic("svc", secret));
                assertEquals(503, revoke.statusCode(), revoke.body());
                assertEquals("temporarily_unavailable", JSONObjectUtils.parse(revoke.body()).get("error"));
                assertEquals("5", revoke.headers().firstValue("Retry-After").orElse(null));
                // the device page shows itself, and a typed code gets a page that says what is wrong
                Browser device = new Browser();
                HttpResponse<String> devicePage = device.get(server.url("/device"));
                assertEquals(200, devicePage.statusCode(), devicePage.body());
                Map<String, String> codeForm = Browser.hiddenFields(devicePage.body());
                codeForm.put("user_code", "BCDF-GHJK");
                HttpResponse<String> typed = device.post(server.url("/device"), codeForm);
                assertEquals(503, typed.statusCode(), typed.body());
                assertTrue(typed.body().contains("cannot reach its database"), typed.body());
                // the login page itself needs no database; a person logging in meanwhile gets a
                // page that says what is wrong, not JSON or a trace
                Browser browser = new Browser();
                HttpResponse<String> page = browser.get(server.url("/authorize?response_type=code&client_id=kubernetes"
                        + "&redirect_uri=http%3A%2F%2Flocalhost%3A8000&scope=openid&code_challenge="
                        + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
                assertEquals(200, page.statusCode(), page.body());
                // a returning browser's session cannot be read: it is shown the page too
                java.net.HttpCookie old = new java.net.HttpCookie("lanyard_session", "x".repeat(43));
                old.setVersion(0);
                old.setPath("/");
                browser.cookies().getCookieStore().add(java.net.URI.create(server.url("/")), old);
                HttpResponse<String> returning = browser.get(server.url("/authorize?response_type=code&client_id=kubernetes"
                        + "&redirect_uri=http%3A%2F%2Flocalhost%3A8000&scope=openid&code_challenge="
                        + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
                assertEquals(200, returning.statusCode(), returning.body());
                HttpResponse<String> login = browser.submitLogin(server.url(""), page, "someone", "a password");
                assertEquals(503, login.statusCode(), login.body());
                assertTrue(login.body().contains("cannot reach its database"), login.body());
                assertEquals(401, server.postForm("/token", "grant_type=client_credentials",
                        "Authorization", basic("svc", "wrong")).statusCode(), "refusals are still precise");

                // Out of touch for half the pre-publication period: another replica may by now
                // have published a key this one has not seen, so it stops taking traffic.
                server.bean(MutableClock.class).advance(server.bean(KeysProperties.class).prePublish().dividedBy(2));
                HttpResponse<String> stale = server.management("/health/readiness");
                assertEquals(503, stale.statusCode(), stale.body());
                assertTrue(stale.body().contains("STALE since"), stale.body());

                proxy.restore();
                Eventually.within(Duration.ofSeconds(10), () -> readiness(server).contains("\"database\":\"UP\""));
                assertEquals(200, server.management("/health/readiness").statusCode(), "fresh again after the next refresh");
            }
        }
    }

    private static String readiness(LanyardServer server) {
        return server.management("/health/readiness").body();
    }
}
