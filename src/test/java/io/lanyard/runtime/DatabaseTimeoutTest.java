package io.lanyard.runtime;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TcpProxy;
import io.lanyard.testing.TestDatabases;
import io.lanyard.token.AuthorizationCodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.lanyard.testing.LanyardServer.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL refuses connections, or accepts them and never answers (a black hole): every request
 * that needs it gets its clean answer within the configured bound (2 s by default, plus the request's
 * own time), never Hikari's 30 s; requests that need only memory keep working.
 */
class DatabaseTimeoutTest {
    private static final String REDIRECT = "http://localhost:8000";
    /** The default LANYARD_DB_TIMEOUT and what a request may add around it on this machine. */
    private static final Duration BOUND = Duration.ofSeconds(2).plus(Duration.ofMillis(1500));

    @ParameterizedTest
    @ValueSource(strings = {"refusing", "black hole"})
    void requestsThatNeedTheDatabaseFailWithinTheBound(String outage) throws Exception {
        Map<String, Object> pg = TestDatabases.freshPostgres();
        String[] hostPort = TestDatabases.PG_HOST.split(":");
        try (TcpProxy proxy = new TcpProxy(Integer.parseInt(hostPort[1]))) {
            Map<String, Object> props = new HashMap<>(LanyardServer.defaults(pg));
            props.put("datasources.default.url", ((String) pg.get("datasources.default.url"))
                    .replace(TestDatabases.PG_HOST, "127.0.0.1:" + proxy.port()));
            try (LanyardServer server = LanyardServer.start(props)) {
                String secret = server.createClient("svc", Set.of(), Set.of(), Set.of("api"), null);
                String userId = server.createUser("kim", "kim's long password", "kim@example.com", "readers");
                server.createPublicClient("app", REDIRECT);
                Pkce pkce = Pkce.create();
                String code = server.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval("app",
                        userId, REDIRECT, Set.of("openid", "offline_access"), null, pkce.challenge(), Instant.now()));
                Browser browser = new Browser();
                String authorize = server.url("/authorize?response_type=code&client_id=app&redirect_uri="
                        + enc(REDIRECT) + "&scope=openid&code_challenge=" + Pkce.create().challenge()
                        + "&code_challenge_method=S256");
                browser.login(server.url(""), authorize, "kim", "kim's long password");
                Browser stranger = new Browser();
                HttpResponse<String> loginPage = stranger.get(authorize);
                String refresh = (String) JSONObjectUtils.parse(server.postForm("/token",
                        "grant_type=authorization_code&client_id=app&code=" + server.bean(AuthorizationCodes.class)
                                .issue(new AuthorizationCodes.Approval("app", userId, REDIRECT,
                                        Set.of("openid", "offline_access"), null, pkce.challenge(), Instant.now()))
                                + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + pkce.verifier()).body())
                        .get("refresh_token");

                if (outage.equals("refusing")) {
                    proxy.cut();
                } else {
                    proxy.blackHole();
                }
                List<String> slow = new ArrayList<>();
                HttpResponse<String> redeem = timed(slow, "code redemption", () -> server.postForm("/token",
                        "grant_type=authorization_code&client_id=app&code=" + code + "&redirect_uri=" + enc(REDIRECT)
                                + "&code_verifier=" + pkce.verifier()));
                assertUnavailable(redeem);
                assertUnavailable(timed(slow, "refresh", () -> server.postForm("/token",
                        "grant_type=refresh_token&client_id=app&refresh_token=" + refresh)));
                HttpResponse<String> login = timed(slow, "login", () -> stranger.submitLogin(server.url(""),
                        loginPage, "kim", "kim's long password"));
                assertEquals(503, login.statusCode(), login.body());
                assertTrue(login.body().contains("cannot reach its database"), login.body());
                HttpResponse<String> silent = timed(slow, "prompt=none", () -> browser.get(authorize + "&prompt=none"));
                assertEquals(302, silent.statusCode(), silent.body());
                assertTrue(Browser.location(silent).contains("error=temporarily_unavailable"), Browser.location(silent));
                HttpResponse<String> logout = timed(slow, "logout", () -> browser.get(server.url("/logout")));
                assertEquals(503, logout.statusCode(), logout.body());
                HttpResponse<String> token = timed(slow, "client credentials", () -> server.postForm("/token",
                        "grant_type=client_credentials", "Authorization", basic("svc", secret)));
                assertEquals(200, token.statusCode(), "memory only: " + token.body());
                assertEquals(List.of(), slow, "answered later than " + BOUND.toMillis() + " ms");
            }
        }
    }

    private static HttpResponse<String> timed(List<String> slow, String what, Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        HttpResponse<String> response = request.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (millis > BOUND.toMillis()) {
            slow.add(what + " took " + millis + " ms");
        }
        return response;
    }

    private static void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("temporarily_unavailable", JSONObjectUtils.parse(response.body()).get("error"));
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(""), "clients may retry soon");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
