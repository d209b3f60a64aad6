package io.lanyard.users;

import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upstream refresh token of a person, on PostgreSQL and H2: two refreshes of one person take
 * turns with it (the second learns the first asked the upstream), a login's newer token is never
 * overwritten by a refresh that started before it, a refused token is forgotten, and a lease a
 * crashed replica left runs out.
 */
class UpstreamTokensTest {
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Map<TestDatabases.Kind, LanyardServer> SERVERS = new EnumMap<>(TestDatabases.Kind.class);

    @BeforeAll
    static void start() {
        for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
            SERVERS.put(kind, LanyardServer.startOn(kind));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(LanyardServer::close);
    }

    private static String person(LanyardServer server) {
        String name = "p" + UUID.randomUUID().toString().substring(0, 8);
        return server.createUser(name, "a long enough password", name + "@example.com");
    }

    /** What a use saw: the token it was handed. */
    private static UpstreamTokens.Outcome<String> use(UpstreamTokens tokens, String user, Duration lease, String rotateTo,
                                                      List<String> handed) throws Exception {
        return tokens.use(user, "sso", lease, token -> {
            handed.add(token);
            return new UpstreamTokens.Used<>(token, rotateTo, false);
        });
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theRotatedTokenIsKeptAndALaterLoginReplacesIt(TestDatabases.Kind kind) throws Exception {
        LanyardServer server = SERVERS.get(kind);
        UpstreamTokens tokens = server.bean(UpstreamTokens.class);
        String user = person(server);
        List<String> handed = new ArrayList<>();
        assertEquals(new UpstreamTokens.Done<String>(null), use(tokens, user, LEASE, null, handed),
                "no token yet: the use is handed none");
        tokens.store(user, "sso", "rt-1");
        use(tokens, user, LEASE, "rt-2", handed);
        use(tokens, user, LEASE, null, handed);
        tokens.store(user, "sso", "rt-login");
        use(tokens, user, LEASE, null, handed);
        assertEquals(java.util.Arrays.asList(null, "rt-1", "rt-2", "rt-login"), handed);
        // another connector's person by the same id finds nothing of this one's
        assertNull(((UpstreamTokens.Done<String>) tokens.use(user, "other", LEASE, token ->
                new UpstreamTokens.Used<>(token, null, false))).answer());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void twoRefreshesTakeTurnsAndTheSecondLearnsTheFirstAskedTheUpstream(TestDatabases.Kind kind) throws Exception {
        LanyardServer server = SERVERS.get(kind);
        UpstreamTokens tokens = server.bean(UpstreamTokens.class);
        String user = person(server);
        tokens.store(user, "sso", "rt-1");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<UpstreamTokens.Outcome<String>> first = pool.submit(() -> tokens.use(user, "sso", LEASE, token -> {
                calls.incrementAndGet();
                inside.countDown();
                await(finish);
                return new UpstreamTokens.Used<>(token, "rt-2", false);
            }));
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            Future<UpstreamTokens.Outcome<String>> second = pool.submit(() -> tokens.use(user, "sso", LEASE, token -> {
                calls.incrementAndGet();
                return new UpstreamTokens.Used<>(token, null, false);
            }));
            Thread.sleep(300);
            assertTrue(!second.isDone(), "the second waits while the first holds the lease");
            finish.countDown();
            assertEquals(new UpstreamTokens.Done<>("rt-1"), first.get(5, TimeUnit.SECONDS));
            assertInstanceOf(UpstreamTokens.Meanwhile.class, second.get(5, TimeUnit.SECONDS));
            assertEquals(1, calls.get(), "the upstream was asked once");
        } finally {
            pool.shutdownNow();
        }
        List<String> handed = new ArrayList<>();
        use(tokens, user, LEASE, null, handed);
        assertEquals(List.of("rt-2"), handed);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aLoginDuringARefreshKeepsItsNewerTokenAndARefusedTokenIsForgotten(TestDatabases.Kind kind) throws Exception {
        LanyardServer server = SERVERS.get(kind);
        UpstreamTokens tokens = server.bean(UpstreamTokens.class);
        String user = person(server);
        tokens.store(user, "sso", "rt-1");
        tokens.use(user, "sso", LEASE, token -> {
            tokens.store(user, "sso", "rt-login");
            return new UpstreamTokens.Used<>(token, "rt-from-refresh", false);
        });
        List<String> handed = new ArrayList<>();
        use(tokens, user, LEASE, null, handed);
        assertEquals(List.of("rt-login"), handed);
        tokens.use(user, "sso", LEASE, token -> new UpstreamTokens.Used<>(null, null, true));
        handed.clear();
        use(tokens, user, LEASE, null, handed);
        assertEquals(java.util.Arrays.asList((String) null), handed);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aLeaseLeftByARefreshThatNeverCameBackRunsOut(TestDatabases.Kind kind) throws Exception {
        LanyardServer server = SERVERS.get(kind);
        UpstreamTokens tokens = server.bean(UpstreamTokens.class);
        String user = person(server);
        tokens.store(user, "sso", "rt-1");
        Duration shortLease = Duration.ofMillis(400);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> tokens.use(user, "sso", shortLease, token -> {
                inside.countDown();
                await(never);
                return new UpstreamTokens.Used<>(token, "rt-stale", false);
            }));
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            List<String> handed = new ArrayList<>();
            Thread.sleep(shortLease.toMillis() + 100);
            use(tokens, user, LEASE, "rt-2", handed);
            assertEquals(List.of("rt-1"), handed, "the expired lease is taken over");
            never.countDown();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        List<String> handed = new ArrayList<>();
        use(tokens, user, LEASE, null, handed);
        assertEquals(List.of("rt-2"), handed, "the refresh that lost its lease cannot overwrite the newer token");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
