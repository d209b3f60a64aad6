package io.lanyard.storage;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import io.lanyard.admin.ConfigFileException;
import io.lanyard.admin.DeclarativeConfig;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.clients.ClientStore;
import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.keys.KeyMaterial;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeyStore;
import io.lanyard.keys.KeysProperties;
import io.lanyard.keys.SigningKey;
import io.lanyard.keys.StoredKey;
import io.lanyard.revocation.RevocationStore;
import io.lanyard.revocation.RevokedTokens;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The persistence behaviour, run once against PostgreSQL and once against H2 in PostgreSQL mode
 * with the same migrations. Each test gets a fresh database (a new schema on PostgreSQL).
 */
abstract class StorageSuite {
    ApplicationContext context;
    Database database;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() {
        Map<String, Object> props = new HashMap<>(TestDatabases.fresh(kind()));
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        props.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        props.put("lanyard.test.mutable-clock", "true");
        // the "cli" environment: services and storage without the HTTP server or schedules
        context = ApplicationContext.builder().properties(props).environments("test", "cli")
                .deduceEnvironment(false).start();
        database = context.getBean(Database.class);
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void migrationsCreateTheSchema() {
        int applied = database.query(c -> {
            try (var rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertTrue(applied >= 1);
        Map<String, Long> versions = database.query(CacheVersions::read);
        assertEquals(Set.of("keys", "clients", "users", "revocations"), versions.keySet());
    }

    /**
     * The revocation list as every replica reads it: listing a token twice is no error (two clients
     * revoking at once), each listing moves the cache version, a reader sees rows added since its last
     * read, and expired rows are neither read nor kept.
     */
    @Test
    void revokedTokensAreListedOnceReadIncrementallyAndSwept() {
        Instant now = Instant.now();
        long before = database.query(CacheVersions::read).get(RevocationStore.CACHE);
        database.inTransaction(c -> {
            RevocationStore.revoke(c, "jti-live", now.plusSeconds(300));
            RevocationStore.revoke(c, "jti-live", now.plusSeconds(300));
            RevocationStore.revoke(c, "jti-old", now.minusSeconds(60));
            return null;
        });
        assertTrue(database.query(CacheVersions::read).get(RevocationStore.CACHE) > before);
        List<RevocationStore.Revoked> live = database.query(c -> RevocationStore.since(c, Instant.EPOCH, now));
        assertEquals(List.of("jti-live"), live.stream().map(RevocationStore.Revoked::jti).toList());
        Instant readUpTo = live.get(0).revokedAt();
        assertEquals(List.of(), database.query(c -> RevocationStore.since(c, readUpTo, now)));
        assertEquals(1, (int) database.inTransaction(c -> RevocationStore.sweep(c, now)));

        RevokedTokens memory = context.getBean(RevokedTokens.class);
        memory.refresh();
        assertTrue(memory.revoked("jti-live"));
        assertFalse(memory.revoked("jti-old"));
        database.inTransaction(c -> {
            RevocationStore.revoke(c, "jti-later", now.plusSeconds(300));
            return null;
        });
        memory.refresh();
        assertTrue(memory.revoked("jti-later"));
    }

    @Test
    void keysAreSealedAtRestAndOpenToSign() throws Exception {
        KeyMaterial material = context.getBean(KeyMaterial.class);
        Instant now = Instant.now();
        StoredKey key = material.generate(JWSAlgorithm.ES256, now, now);
        database.inTransaction(c -> {
            KeyStore.insert(c, key);
            return null;
        });
        StoredKey loaded = database.query(c -> KeyStore.load(c, false)).get(0);
        assertEquals(key.kid(), loaded.kid());
        assertArrayEquals(key.privateKeyEnc(), loaded.privateKeyEnc());
        assertFalse(new String(loaded.privateKeyEnc()).contains("PRIVATE"), "no plaintext key material");
        assertFalse(loaded.publicJwk().contains("\"d\""), "only the public JWK is stored in clear");

        SigningKey opened = material.open(loaded);
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("x"));
        jws.sign(opened.signer());
        assertTrue(jws.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(opened.publicJwk().toECKey())));

        byte[] otherKek = new byte[32];
        new SecureRandom().nextBytes(otherKek);
        KeyMaterial stranger = new KeyMaterial(context.getBean(io.lanyard.keys.CryptoProvider.class),
                new KeyEncryptionKey(otherKek), 2048);
        assertThrows(KeyMaterial.KeyOpenException.class, () -> stranger.open(loaded));
    }

    @Test
    void removedKeysStayAsTombstonesSoAKidIsNeverReused() {
        KeyMaterial material = context.getBean(KeyMaterial.class);
        Instant now = Instant.now();
        StoredKey key = material.generate(JWSAlgorithm.ES256, now, now);
        database.inTransaction(c -> {
            KeyStore.insert(c, key);
            KeyStore.markRemoved(c, key.kid(), now);
            return null;
        });
        assertTrue(database.query(c -> KeyStore.load(c, false)).isEmpty());
        StoredKey tombstone = database.query(c -> KeyStore.load(c, true)).get(0);
        assertNull(tombstone.privateKeyEnc(), "the private key is wiped");
        StorageException duplicate = assertThrows(StorageException.class, () -> database.inTransaction(c -> {
            KeyStore.insert(c, key);
            return null;
        }));
        assertTrue(duplicate.isUniqueViolation());
    }

    @Test
    void concurrentRotationsAddExactlyOneKeyPerAlgorithm() throws Exception {
        KeyRotator rotator = context.getBean(KeyRotator.class);
        assertEquals(2, rotator.rotateIfDue().size(), "the first run creates one key per algorithm");
        MutableClock clock = context.getBean(MutableClock.class);
        KeysProperties keys = context.getBean(KeysProperties.class);
        clock.advance(keys.rotationPeriod().minus(keys.prePublish()).plusSeconds(1));

        int racers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return rotator.rotateIfDue();
            }));
        }
        start.countDown();
        int added = 0;
        for (Future<List<String>> result : results) {
            added += result.get().size();
        }
        pool.shutdown();
        assertEquals(2, added, "one new key per algorithm, however many rotations raced");
        List<StoredKey> stored = database.query(c -> KeyStore.load(c, false));
        assertEquals(2, stored.stream().filter(k -> k.alg().equals("RS256")).count());
        assertEquals(2, stored.stream().filter(k -> k.alg().equals("ES256")).count());
        assertTrue(rotator.rotateIfDue().isEmpty(), "nothing more is due");
    }

    @Test
    void clientWritesBumpTheCacheVersion() {
        ClientService clients = context.getBean(ClientService.class);
        long before = database.query(CacheVersions::read).get("clients");
        ClientService.WithSecret created = clients.create(Client.builder("a")
                .name("A")
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("s"))
                .audiences(Set.of("x"))
                .build(), true);
        assertTrue(created.secret().length() >= 43, "at least 256 bits");
        Client stored = database.query(c -> ClientStore.find(c, "a")).orElseThrow();
        assertFalse(stored.secretDigest().contains(created.secret()), "only the digest is stored");
        clients.update("a", c -> Client.builder(c.clientId())
                .name("Renamed")
                .secretDigest(c.secretDigest())
                .grantTypes(c.grantTypes())
                .scopes(c.scopes())
                .defaultScopes(c.defaultScopes())
                .audiences(c.audiences())
                .tokenLifetime(java.time.Duration.ofMinutes(5))
                .tokenSigningAlg("ES256")
                .source(c.source())
                .build());
        assertEquals("Renamed", clients.find("a").orElseThrow().name());
        clients.delete("a");
        assertTrue(clients.find("a").isEmpty());
        assertEquals(before + 3, database.query(CacheVersions::read).get("clients"));
    }

    @Test
    void replicasApplyingTheSameFileAtOnceBothSucceed() throws Exception {
        DeclarativeConfig config = context.getBean(DeclarativeConfig.class);
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "clients:\n  - id: shared\n    grantTypes: [client_credentials]\n"
                + "    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ\n");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<DeclarativeConfig.Result>> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return config.apply(file);
            }));
        }
        go.countDown();
        int created = 0;
        for (Future<DeclarativeConfig.Result> result : results) {
            created += result.get().created();
        }
        pool.shutdown();
        assertEquals(1, created, "one applier creates, the other finds it unchanged");
    }

    @Test
    void declarativeFileIsIdempotentAndABadFileChangesNothing() throws Exception {
        DeclarativeConfig config = context.getBean(DeclarativeConfig.class);
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, """
                clients:
                  - id: reports
                    name: Reports
                    grantTypes: [client_credentials]
                    scopes: [reports.read]
                    audiences: [https://api.example.com]
                    tokenLifetime: 15m
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                  - id: env-secret
                    grantTypes: [client_credentials]
                    audiences: [billing]
                    secretFromEnv: LANYARD_TEST_CLIENT_SECRET
                """);
        DeclarativeConfig.Result first = config.apply(file);
        assertEquals(2, first.created());
        long version = database.query(CacheVersions::read).get("clients");
        DeclarativeConfig.Result second = config.apply(file);
        assertFalse(second.changedAnything(), "applying the same file again changes nothing");
        assertEquals(version, database.query(CacheVersions::read).get("clients"));

        Files.writeString(file, """
                clients:
                  - id: reports
                    grantTypes: [client_credentials]
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                  - id: broken
                    grantTypes: [client_credentials]
                    scopes: [ok]
                    defaultScopes: [not-allowed]
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                """);
        ConfigFileException error = assertThrows(ConfigFileException.class, () -> config.apply(file));
        assertTrue(error.getMessage().contains(":8: clients[1].defaultScopes:"), error.getMessage());
        assertEquals("Reports", context.getBean(ClientService.class).find("reports").orElseThrow().name(),
                "the bad file changed nothing");
        assertTrue(context.getBean(ClientService.class).find("env-secret").isPresent());
        assertEquals(version, database.query(CacheVersions::read).get("clients"));

        Files.writeString(file, """
                clients:
                  - id: reports
                    grantTypes: [client_credentials]
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                """);
        DeclarativeConfig.Result third = config.apply(file);
        assertEquals(1, third.updated());
        assertEquals(1, third.deleted(), "clients the file no longer names are removed");
    }
}
