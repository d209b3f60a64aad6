package io.lanyard.authorize;

import io.lanyard.storage.Database;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Brute-force throttling as an attacker and the account's owner see it, on two replicas. */
class LoginThrottleTest {
    private static final String PASSWORD = "erin's long password";
    private static LanyardServer a;
    private static LanyardServer b;
    private static MutableClock clock;

    @BeforeAll
    static void start() {
        Map<String, Object> database = TestDatabases.freshPostgres();
        Map<String, Object> propsA = LanyardServer.defaults(database);
        propsA.put("lanyard.test.mutable-clock", "true");
        // every attempt here comes from 127.0.0.1: the per-address limit has a test of its own
        propsA.put("lanyard.login.free-failures-per-address", "1000");
        a = LanyardServer.start(propsA);
        b = LanyardServer.replicaOf(propsA, Map.of("lanyard.login.free-failures-per-address", "1000"));
        clock = a.bean(MutableClock.class);
        a.createUser("erin", PASSWORD, "erin@example.com");
        a.createUser("frank", PASSWORD, "frank@example.com");
        a.createUser("ivan", PASSWORD, "ivan@example.com");
        a.createUser("judy", PASSWORD, "judy@example.com");
        a.createPublicClient("web-cli", "http://127.0.0.1:8000");
        b.bean(io.lanyard.clients.ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static HttpResponse<String> attempt(LanyardServer server, String username, String password) {
        return attempt(new Browser(), server, username, password);
    }

    private static HttpResponse<String> attempt(Browser browser, LanyardServer server, String username, String password) {
        HttpResponse<String> page = browser.get(server.url("/authorize?response_type=code&client_id=web-cli"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000&scope=openid&code_challenge=" + Pkce.create().challenge()
                + "&code_challenge_method=S256"));
        return browser.submitLogin(server.url(""), page, username, password);
    }

    @Test
    void delaysGrowAfterFiveFailuresAndTheOwnerGetsInAfterwards() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, attempt(a, "erin", "guess " + i).statusCode());
        }
        assertEquals(401, attempt(a, "erin", "guess 5").statusCode(), "the sixth failure is still checked");
        HttpResponse<String> throttled = attempt(a, "erin", PASSWORD);
        assertEquals(429, throttled.statusCode(), "even the right password waits: the throttle is checked first");
        assertEquals("2", throttled.headers().firstValue("Retry-After").orElse(null));
        assertTrue(throttled.body().contains("Too many failed attempts"));

        clock.advance(Duration.ofSeconds(3));
        assertEquals(401, attempt(a, "erin", "guess 6").statusCode());
        assertEquals("4", attempt(a, "erin", PASSWORD).headers().firstValue("Retry-After").orElse(null), "doubled");

        clock.advance(Duration.ofSeconds(5));
        assertEquals(303, attempt(a, "erin", PASSWORD).statusCode(), "the owner is never locked out for good");
        assertEquals(401, attempt(a, "erin", "one more typo").statusCode(), "a success resets the account's count");
        String metrics = a.management("/prometheus").body();
        for (String result : new String[] {"succeeded", "refused", "throttled"}) {
            assertTrue(metrics.contains("lanyard_logins_total{result=\"" + result + "\"}"), result);
        }
    }

    @Test
    void aBurstOfParallelGuessesGetsNoMoreTriesThanSequentialOnes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int guess = i;
            statuses.add(pool.submit(() -> attempt(a, "judy", "parallel guess " + guess).statusCode()));
        }
        int checked = 0;
        for (Future<Integer> status : statuses) {
            int code = status.get();
            assertTrue(code == 401 || code == 429, "status " + code);
            checked += code == 401 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(6, checked, "five free attempts and the one that starts the delay, however many arrive at once");
    }

    @Test
    void aStrangerFailingOnPurposeCannotKeepTheOwnerOut() {
        Browser owners = new Browser();
        assertEquals(303, attempt(owners, a, "ivan", PASSWORD).statusCode(), "ivan logs in once: his browser is known");
        for (int i = 0; i < 6; i++) {
            assertEquals(401, attempt(a, "ivan", "stranger's guess " + i).statusCode());
        }
        assertEquals(429, attempt(a, "ivan", PASSWORD).statusCode(), "strangers now wait");
        // next morning: the session is gone, the device cookie stays
        for (java.net.HttpCookie cookie : List.copyOf(owners.cookies().getCookieStore().getCookies())) {
            if (cookie.getName().contains("session")) {
                owners.cookies().getCookieStore().remove(null, cookie);
            }
        }
        assertEquals(303, attempt(owners, a, "ivan", PASSWORD).statusCode(), "the owner's browser does not");
        assertEquals(429, attempt(a, "ivan", "another guess").statusCode(), "and the strangers still wait");
    }

    @Test
    void oneAddressTryingManyNamesIsThrottledToo() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshH2());
        props.put("lanyard.login.free-failures-per-address", "3");
        try (LanyardServer server = LanyardServer.start(props)) {
            server.createPublicClient("web-cli", "http://127.0.0.1:8000");
            for (String name : new String[] {"a1", "a2", "a3", "a4"}) {
                assertEquals(401, attempt(server, name, "spray").statusCode(), name);
            }
            HttpResponse<String> sprayed = attempt(server, "a5", "spray");
            assertEquals(429, sprayed.statusCode(), "a new name does not help: the address waits");
        }
    }

    @Test
    void peopleLoggingInAtOnceFromOneAddressAreNeverThrottled() throws Exception {
        try (LanyardServer server = LanyardServer.startOn(TestDatabases.Kind.POSTGRES)) {
            server.createPublicClient("web-cli", "http://127.0.0.1:8000");
            for (int u = 0; u < 6; u++) {
                server.createUser("office-" + u, PASSWORD, "office-" + u + "@example.com");
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int u = 0; u < 6; u++) {
                    String user = "office-" + u;
                    statuses.add(pool.submit(() -> attempt(server, user, PASSWORD).statusCode()));
                }
            }
            for (Future<Integer> status : statuses) {
                assertEquals(303, status.get(), "successful logins behind one NAT are not throttled");
            }
            pool.shutdown();
        }
    }

    @Test
    void unknownAccountsAreThrottledExactlyLikeRealOnes() {
        for (int i = 0; i < 6; i++) {
            assertEquals(401, attempt(a, "nobody-" + "x", "guess " + i).statusCode());
        }
        assertEquals(429, attempt(a, "nobody-x", "guess").statusCode());
    }

    @Test
    void failuresOnTwoReplicasAreCountedTogether() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (LanyardServer replica : List.of(a, b)) {
                statuses.add(pool.submit(() -> attempt(replica, "frank", "wrong").statusCode()));
            }
        }
        for (Future<Integer> status : statuses) {
            assertTrue(List.of(401, 429).contains(status.get()));
        }
        pool.shutdown();
        int failures = a.bean(Database.class).query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT failures FROM login_throttle WHERE throttle_key = 'user:frank'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
        long checked = statuses.stream().filter(f -> {
            try {
                return f.get() == 401;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertEquals(checked, failures, "every checked failure counted once, whichever replica saw it");
        assertEquals(429, attempt(b, "frank", PASSWORD).statusCode(), "replica b sees replica a's count");
    }
}
