package io.lanyard.introspection;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.testing.Browser;
import io.lanyard.testing.Eventually;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.UserStatusCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two replicas on one PostgreSQL, caches refreshed every second: a token revoked on one is
 * inactive on the other within the refresh interval, and a replayed authorization code (RFC 6749
 * 4.1.2) ends the first redemption's access token on both, at /introspect and at /userinfo.
 */
class RevocationAcrossReplicasTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static final String PASSWORD = "jon's long password";
    /** The refresh interval is 1 s; a few more for a busy machine. */
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static LanyardServer a;
    private static LanyardServer b;
    private static String secret;

    @BeforeAll
    static void start() {
        Map<String, Object> propsA = LanyardServer.defaults(TestDatabases.freshPostgres());
        a = LanyardServer.start(propsA);
        // one installation, one issuer: both replicas sign and accept tokens as A's URL
        b = LanyardServer.replicaOf(propsA, Map.of("lanyard.issuer", propsA.get("lanyard.issuer")));
        a.createUser("jon", PASSWORD, "jon@example.com", "ops");
        secret = a.createWebClient("web", REDIRECT);
        b.bean(ClientRegistry.class).reload();
        b.bean(UserStatusCache.class).reload();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> call(LanyardServer replica, String path, String body) {
        return replica.postForm(path, body, "Authorization", LanyardServer.basic("web", secret));
    }

    private static boolean active(LanyardServer replica, String token) {
        try {
            return Boolean.TRUE.equals(JSONObjectUtils.parse(call(replica, "/introspect", "token=" + enc(token)).body())
                    .get("active"));
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static int userinfo(LanyardServer replica, String token) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(replica.url("/userinfo")))
                .header("Authorization", "Bearer " + token).GET().build()).statusCode();
    }

    /** Jon signs in on replica A; the code and the PKCE verifier that redeems it. */
    private static String[] code() {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(a.url(""), a.url("/authorize?response_type=code&client_id=web"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc("openid offline_access")
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256"), "jon", PASSWORD);
        return new String[] {Browser.query(location).get("code"), pkce.verifier()};
    }

    private static HttpResponse<String> redeem(LanyardServer replica, String[] code) {
        return call(replica, "/token", "grant_type=authorization_code&code=" + code[0] + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + code[1]);
    }

    @Test
    void aTokenRevokedOnOneReplicaIsInactiveOnTheOtherWithinTheRefreshInterval() throws Exception {
        HttpResponse<String> issued = redeem(a, code());
        assertEquals(200, issued.statusCode(), issued.body());
        String access = (String) JSONObjectUtils.parse(issued.body()).get("access_token");
        assertEquals(true, active(b, access));
        assertEquals(200, userinfo(b, access));

        assertEquals(200, call(a, "/revoke", "token=" + access).statusCode());
        assertEquals(false, active(a, access), "at once on the replica that revoked it");
        Eventually.within(WITHIN, () -> !active(b, access));
        assertEquals(401, userinfo(b, access));
    }

    @Test
    void aReplayedCodeEndsTheFirstRedemptionsAccessTokenOnBothReplicas() throws Exception {
        String[] code = code();
        HttpResponse<String> first = redeem(a, code);
        assertEquals(200, first.statusCode(), first.body());
        Map<String, Object> tokens = JSONObjectUtils.parse(first.body());
        String access = (String) tokens.get("access_token");
        assertEquals(200, userinfo(a, access));

        HttpResponse<String> replay = redeem(b, code);
        assertEquals(400, replay.statusCode());
        assertEquals("invalid_grant", JSONObjectUtils.parse(replay.body()).get("error"));

        assertEquals(false, active(b, access), "at once on the replica that saw the replay");
        assertEquals(401, userinfo(b, access));
        Eventually.within(WITHIN, () -> !active(a, access));
        assertEquals(401, userinfo(a, access));
        HttpResponse<String> refresh = call(a, "/token", "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token"));
        assertEquals("invalid_grant", JSONObjectUtils.parse(refresh.body()).get("error"));
    }
}
