package io.lanyard.clients;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.lanyard.admin.ConfigFileException;
import io.lanyard.admin.ConfigFileParser;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.lanyard.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** private_key_jwt clients in storage and in the declarative file, and the jti table, on PostgreSQL and H2. */
abstract class PrivateKeyJwtClientsSuite {
    ApplicationContext context;
    Database database;
    ClientService clients;
    static RSAKey rsa;
    static ECKey ec;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() throws Exception {
        Map<String, Object> props = new HashMap<>(TestDatabases.fresh(kind()));
        props.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        context = ApplicationContext.builder().properties(props).environments("test", "cli")
                .deduceEnvironment(false).start();
        database = context.getBean(Database.class);
        clients = context.getBean(ClientService.class);
        if (rsa == null) {
            rsa = new RSAKeyGenerator(2048).keyID("r").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("e").generate();
        }
    }

    @AfterEach
    void close() {
        context.close();
    }

    static Client client(String id, String jwks, String jwksUri) {
        return Client.builder(id)
                .grantTypes(Set.of("client_credentials"))
                .scopes(Set.of("a"))
                .jwks(jwks)
                .jwksUri(jwksUri)
                .build();
    }

    String publicJwks() {
        return new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
    }

    @Test
    void keysAreStoredAndReadBack() {
        clients.create(client("inline", publicJwks(), null), false);
        clients.create(client("remote", null, "https://keys.example.com/jwks.json"), false);
        Client inline = clients.find("inline").orElseThrow();
        assertEquals(publicJwks(), inline.jwks());
        assertTrue(inline.usesPrivateKeyJwt());
        assertEquals("https://keys.example.com/jwks.json", clients.find("remote").orElseThrow().jwksUri());
        Client updated = clients.update("remote", c -> c.withKeys(null, "http://127.0.0.1:9999/jwks"));
        assertEquals("http://127.0.0.1:9999/jwks", updated.jwksUri());
        assertEquals(updated, clients.find("remote").orElseThrow());
    }

    @Test
    void badKeysAreRefusedWithTheFieldNamed() throws Exception {
        Map<Client, String> bad = new HashMap<>();
        bad.put(client("private", new JWKSet(rsa).toString(false), null), "jwks");
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("h").generate();
        bad.put(client("symmetric", new JWKSet(hmac).toString(false), null), "jwks");
        bad.put(client("notjson", "{nope", null), "jwks");
        bad.put(client("small", new JWKSet(new RSAKeyGenerator(1024, true).generate().toPublicJWK()).toString(), null),
                "jwks");
        bad.put(client("p384", new JWKSet(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()).toString(), null),
                "jwks");
        bad.put(client("empty", "{\"keys\":[]}", null), "jwks");
        bad.put(client("both", publicJwks(), "https://keys.example.com/jwks"), "jwks");
        bad.put(client("plainhttp", null, "http://keys.example.com/jwks"), "jwksUri");
        bad.put(client("relative", null, "/jwks"), "jwksUri");
        bad.put(client("nokeys", null, null), "secret");
        bad.put(client("withsecret", publicJwks(), null).withSecretDigest(ClientSecrets.digest(ClientSecrets.generate())),
                "jwks");
        for (Map.Entry<Client, String> entry : bad.entrySet()) {
            ClientValidator.InvalidClientException e = assertThrows(ClientValidator.InvalidClientException.class,
                    () -> clients.create(entry.getKey(), false), entry.getKey().clientId());
            assertEquals(entry.getValue(), e.field(), entry.getKey().clientId() + ": " + e.getMessage());
        }
        assertTrue(clients.list().isEmpty());
    }

    @Test
    void theDeclarativeFileTakesJwksAsAMappingOrAsJsonAndAJwksUri() throws Exception {
        String yaml = """
                clients:
                  - id: mapped
                    grantTypes: [client_credentials]
                    jwks:
                      keys:
                        - kty: EC
                          crv: P-256
                          kid: e
                          x: "%s"
                          y: "%s"
                  - id: asjson
                    grantTypes: [client_credentials]
                    jwks: '%s'
                  - id: remote
                    grantTypes: [client_credentials]
                    jwksUri: https://keys.example.com/jwks
                """.formatted(ec.getX(), ec.getY(), publicJwks());
        ConfigFileParser parser = new ConfigFileParser(context.getBean(ClientValidator.class), name -> null);
        Path file = Files.createTempFile("lanyard", ".yaml");
        try {
            Files.writeString(file, yaml);
            List<Client> parsed = parser.parse(file).clients();
            assertEquals(ec.toPublicJWK(), JWKSet.parse(parsed.get(0).jwks()).getKeyByKeyId("e"));
            assertEquals(2, JWKSet.parse(parsed.get(1).jwks()).getKeys().size());
            assertEquals("https://keys.example.com/jwks", parsed.get(2).jwksUri());

            Files.writeString(file, """
                    clients:
                      - id: leaky
                        grantTypes: [client_credentials]
                        jwks: '%s'
                    """.formatted(new JWKSet(rsa).toString(false)));
            ConfigFileException e = assertThrows(ConfigFileException.class, () -> parser.parse(file));
            assertTrue(e.getMessage().contains(":4: clients[0].jwks: must hold public keys only"), e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aJtiIsRecordedOncePerClientAndSweptAfterItExpires() {
        Instant now = Instant.now();
        database.inTransaction(c -> {
            AssertionJtiStore.insert(c, "a", "j1", now.plusSeconds(60));
            AssertionJtiStore.insert(c, "b", "j1", now.plusSeconds(60));
            AssertionJtiStore.insert(c, "a", "old", now.minusSeconds(1));
            return null;
        });
        StorageException replay = assertThrows(StorageException.class, () -> database.inTransaction(c -> {
            AssertionJtiStore.insert(c, "a", "j1", now.plusSeconds(60));
            return null;
        }));
        assertTrue(replay.isUniqueViolation());
        assertEquals(Integer.valueOf(1), database.inTransaction(c -> AssertionJtiStore.sweep(c, now)));
        assertEquals(Integer.valueOf(2), database.<Integer>query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM client_assertion_jtis");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }
}
