package io.lanyard.cli;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clients create/update/show with --jwks-file and --jwks-uri. */
class PrivateKeyJwtCliTest {
    @Test
    void keysInsteadOfASecret() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestDatabases.freshPostgres());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        settings.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path publicFile = Files.createTempFile("jwks", ".json");
        Path privateFile = Files.createTempFile("jwks", ".json");
        try {
            Files.writeString(publicFile, new JWKSet(key.toPublicJWK()).toString());
            Files.writeString(privateFile, new JWKSet(key).toString(false));

            CliRun created = CliRun.run(settings, "clients", "create", "signer", "--jwks-file", publicFile.toString(),
                    "-o", "json");
            assertEquals(0, created.exitCode(), created.err());
            Map<String, Object> client = JSONObjectUtils.parse(created.out());
            assertNull(client.get("client_secret"), "no secret is generated for a private_key_jwt client");
            assertEquals(false, client.get("has_secret"));
            assertEquals("private_key_jwt", client.get("token_endpoint_auth_method"));
            assertTrue(((String) client.get("jwks")).contains("\"k1\""));

            CliRun leaky = CliRun.run(settings, "clients", "create", "leaky", "--jwks-file", privateFile.toString());
            assertEquals(2, leaky.exitCode(), leaky.out());
            assertTrue(leaky.err().contains("jwks: must hold public keys only"), leaky.err());

            CliRun secretClient = CliRun.run(settings, "clients", "create", "moving", "-o", "json");
            assertEquals(0, secretClient.exitCode(), secretClient.err());
            CliRun moved = CliRun.run(settings, "clients", "update", "moving", "--jwks-uri",
                    "https://keys.example.com/jwks", "-o", "json");
            assertEquals(0, moved.exitCode(), moved.err());
            CliRun shown = CliRun.run(settings, "clients", "show", "moving", "-o", "json");
            Map<String, Object> view = JSONObjectUtils.parse(shown.out());
            assertEquals("https://keys.example.com/jwks", view.get("jwks_uri"));
            assertEquals(false, view.get("has_secret"), "switching to keys drops the secret");

            CliRun plain = CliRun.run(settings, "clients", "update", "moving", "--jwks-uri", "http://keys.example.com/");
            assertEquals(2, plain.exitCode(), plain.out());
            assertTrue(plain.err().contains("jwksUri"), plain.err());
        } finally {
            Files.deleteIfExists(publicFile);
            Files.deleteIfExists(privateFile);
        }
    }
}
