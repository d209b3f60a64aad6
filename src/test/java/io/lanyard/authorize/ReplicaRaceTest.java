package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two replicas on one PostgreSQL racing for the same single-use secrets: a code is redeemed
 * exactly once, and a refresh token used by two kubectl processes at once gives both the same
 * new pair instead of revoking the family.
 */
class ReplicaRaceTest {
    private static final String REDIRECT = "http://127.0.0.1:8000";
    private static LanyardServer a;
    private static LanyardServer b;

    @BeforeAll
    static void start() {
        Map<String, Object> database = TestDatabases.freshPostgres();
        Map<String, Object> propsA = LanyardServer.defaults(database);
        a = LanyardServer.start(propsA);
        b = LanyardServer.replicaOf(propsA, Map.of());
        a.createUser("dave", "dave's long password", "dave@example.com", "ops");
        a.createPublicClient("race", REDIRECT);
        b.bean(io.lanyard.clients.ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static List<HttpResponse<String>> race(int perReplica, String body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(perReplica * 2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < perReplica; i++) {
            for (LanyardServer replica : List.of(a, b)) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return replica.postForm("/token", body);
                }));
            }
        }
        go.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            responses.add(future.get());
        }
        pool.shutdown();
        return responses;
    }

    private static Map<String, Object> login() throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser().login(a.url(""), a.url("/authorize?response_type=code&client_id=race&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid%20offline_access&code_challenge="
                + pkce.challenge() + "&code_challenge_method=S256"), "dave", "dave's long password");
        HttpResponse<String> tokens = b.postForm("/token", "grant_type=authorization_code&client_id=race&code="
                + Browser.query(location).get("code") + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_verifier=" + pkce.verifier());
        assertEquals(200, tokens.statusCode(), tokens.body());
        return JSONObjectUtils.parse(tokens.body());
    }

    @Test
    void aCodeIsRedeemedExactlyOnceAcrossReplicas() throws Exception {
        for (int round = 0; round < 3; round++) {
            Pkce pkce = Pkce.create();
            String location = new Browser().login(a.url(""), a.url("/authorize?response_type=code&client_id=race&redirect_uri="
                    + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid&code_challenge="
                    + pkce.challenge() + "&code_challenge_method=S256"), "dave", "dave's long password");
            List<HttpResponse<String>> responses = race(4, "grant_type=authorization_code&client_id=race&code="
                    + Browser.query(location).get("code") + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                    + "&code_verifier=" + pkce.verifier());
            assertEquals(1, responses.stream().filter(r -> r.statusCode() == 200).count(), "exactly one redemption");
            assertEquals(7, responses.stream().filter(r -> r.body().contains("invalid_grant")).count());
        }
    }

    @Test
    void racingRefreshesGetTheSamePair() throws Exception {
        Map<String, Object> tokens = login();
        List<HttpResponse<String>> responses = race(3, "grant_type=refresh_token&client_id=race&refresh_token="
                + tokens.get("refresh_token"));
        List<Object> newTokens = new ArrayList<>();
        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            newTokens.add(JSONObjectUtils.parse(response.body()).get("refresh_token"));
        }
        assertEquals(1, newTokens.stream().distinct().count(), "every racer got the same new refresh token");
        HttpResponse<String> next = a.postForm("/token", "grant_type=refresh_token&client_id=race&refresh_token="
                + newTokens.get(0));
        assertEquals(200, next.statusCode(), "the family is alive");
    }
}
