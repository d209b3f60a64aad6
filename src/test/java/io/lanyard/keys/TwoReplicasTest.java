package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.storage.Database;
import io.lanyard.testing.Eventually;
import io.lanyard.testing.LanyardProcess;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.lanyard.testing.LanyardServer.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two Lanyard servers on one PostgreSQL schema, each with its own pool, caches, key ring and schedules. */
class TwoReplicasTest {
    LanyardServer a;
    LanyardServer b;

    @BeforeEach
    void start() {
        Map<String, Object> database = TestDatabases.freshPostgres();
        Map<String, Object> propsA = LanyardServer.defaults(database);
        propsA.put("lanyard.test.mutable-clock", "true");
        a = LanyardServer.start(propsA);
        b = LanyardServer.replicaOf(propsA, Map.of("lanyard.test.mutable-clock", "true"));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void racingRotationsEndWithOneNewKeyPerAlgorithm() throws Exception {
        assertEquals(2, keyCount(), "the second replica reused the first one's keys");
        KeysProperties keys = a.bean(KeysProperties.class);
        Duration due = keys.rotationPeriod().minus(keys.prePublish()).plusSeconds(1);
        a.bean(MutableClock.class).advance(due);
        b.bean(MutableClock.class).advance(due);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> added = new ArrayList<>();
        for (LanyardServer replica : List.of(a, b)) {
            added.add(pool.submit(() -> {
                go.await();
                return replica.bean(KeyRotator.class).rotateIfDue();
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<List<String>> f : added) {
            total += f.get().size();
        }
        pool.shutdown();
        assertEquals(2, total);
        assertEquals(4, keyCount(), "one old and one new key for each of RS256 and ES256");

        // both replicas publish the same four keys within one refresh interval, without a restart
        Eventually.within(Duration.ofSeconds(3), () -> jwksKids(a).size() == 4 && jwksKids(b).size() == 4);
        assertEquals(jwksKids(a), jwksKids(b));
    }

    @Test
    void eachReplicaSeesTheOthersChangesWithoutARestart() throws Exception {
        String kid = b.bean(KeyRotator.class).rotateNow(JWSAlgorithm.ES256, false).kid();
        Eventually.within(Duration.ofSeconds(3), () -> jwksKids(a).contains(kid));

        String secret = b.bean(ClientService.class).create(Client.builder("late")
                .grantTypes(Set.of("client_credentials"))
                .audiences(Set.of("x"))
                .build(), true).secret();
        Eventually.within(Duration.ofSeconds(3), () -> a.postForm("/token", "grant_type=client_credentials", "Authorization", basic("late", secret))
                .statusCode() == 200);

        b.bean(ClientService.class).delete("late");
        Eventually.within(Duration.ofSeconds(3), () -> a.postForm("/token", "grant_type=client_credentials", "Authorization", basic("late", secret))
                .statusCode() == 401);
    }

    /** The same, with the second replica in its own JVM, started through Main as `java -jar` would. */
    @Test
    void aReplicaInAnotherProcessSeesTheChangesToo() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("datasources.default.url", a.context().getProperty("datasources.default.url", String.class).orElseThrow());
        settings.put("datasources.default.username", "postgres");
        settings.put("datasources.default.password", "");
        settings.put("lanyard.kek", a.context().getProperty("lanyard.kek", String.class).orElseThrow());
        Map<String, Object> ports = LanyardServer.defaults(Map.of());
        settings.put("micronaut.server.port", ports.get("micronaut.server.port"));
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("lanyard.issuer", ports.get("lanyard.issuer"));
        settings.put("lanyard.data-dir", ports.get("lanyard.data-dir"));
        settings.put("lanyard.management.port", ports.get("lanyard.management.port"));
        settings.put("lanyard.cache.refresh-interval", "1s");
        try (LanyardProcess other = LanyardProcess.start(settings)) {
            assertEquals(jwksKids(a), kids(other.get("/jwks").body()), "the new process reused the keys");

            String kid = a.bean(KeyRotator.class).rotateNow(JWSAlgorithm.RS256, false).kid();
            Eventually.within(Duration.ofSeconds(3), () -> kids(other.get("/jwks").body()).contains(kid));

            String secret = a.bean(ClientService.class).create(Client.builder("elsewhere")
                    .grantTypes(Set.of("client_credentials"))
                    .audiences(Set.of("x"))
                    .build(), true).secret();
            Eventually.within(Duration.ofSeconds(3), () -> other.postForm("/token", "grant_type=client_credentials",
                    basic("elsewhere", secret)).statusCode() == 200);
        }
    }

    private int keyCount() {
        return a.bean(Database.class).query(c -> KeyStore.load(c, false)).size();
    }

    private static Set<String> jwksKids(LanyardServer server) {
        return kids(server.get("/jwks").body());
    }

    private static Set<String> kids(String jwks) {
        try {
            Set<String> kids = new java.util.TreeSet<>();
            JWKSet.parse(jwks).getKeys().forEach(k -> kids.add(k.getKeyID()));
            return kids;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
