package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import net.minidev.json.JSONArray;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin commands against PostgreSQL, as a person or a script runs them. */
class CliTest {
    Map<String, Object> settings;

    @BeforeEach
    void database() {
        settings = new HashMap<>(TestDatabases.freshPostgres());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        settings.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
    }

    CliRun run(String... args) {
        return CliRun.run(settings, args);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonList(String text) throws Exception {
        return (List<Map<String, Object>>) (List<?>) new JSONParser(JSONParser.MODE_PERMISSIVE).parse(text, JSONArray.class);
    }

    @Test
    void keysRotateFollowsTheServersPrePublicationPeriodNotItsOwn() throws Exception {
        Map<String, Object> serverProps = new HashMap<>(LanyardServer.defaults(TestDatabases.freshPostgres()));
        serverProps.put("lanyard.keys.pre-publish", "3h");
        try (LanyardServer server = LanyardServer.start(serverProps)) {
            settings.putAll(serverProps.entrySet().stream().filter(e -> e.getKey().startsWith("datasources.")
                    || e.getKey().equals("lanyard.kek")).collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue)));
            Instant before = Instant.now();
            CliRun rotated = run("keys", "rotate", "--alg", "RS256", "-o", "json");
            assertEquals(0, rotated.exitCode(), rotated.err());
            Instant activates = Instant.parse((String) jsonList(rotated.out()).get(0).get("activates"));
            assertTrue(!activates.isBefore(before.plus(Duration.ofHours(3)).minusSeconds(5))
                    && activates.isBefore(Instant.now().plus(Duration.ofHours(3)).plusSeconds(5)),
                    "published for the servers' 3h, not the command's default 1h: activates " + activates);
            assertTrue(rotated.err().contains("servers' pre-publication period, PT3H (this command's own setting is PT1H)"),
                    rotated.err());
        }
    }

    @Test
    void configCheckNeedsNoSecretsUnlessStrict() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, """
                clients:
                  - id: billing
                    grantTypes: [client_credentials]
                    audiences: [ledger]
                    secretFromEnv: LANYARD_TEST_UNSET_BILLING_SECRET
                users:
                  - username: ops
                    passwordFromEnv: LANYARD_TEST_UNSET_OPS_PASSWORD
                """);
        CliRun check = run("config", "check", file.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains(": valid, 1 client(s), 1 user(s)"), check.out());
        assertTrue(check.err().contains("warning: " + file + ":5: clients[0].secretFromEnv: environment variable "
                + "LANYARD_TEST_UNSET_BILLING_SECRET is not set"), check.err());
        assertTrue(check.err().contains(":8: users[0].passwordFromEnv: environment variable "
                + "LANYARD_TEST_UNSET_OPS_PASSWORD is not set"), check.err());

        CliRun strict = run("config", "check", "--strict", file.toString());
        assertEquals(2, strict.exitCode(), strict.out());
        assertTrue(strict.err().contains(":5: clients[0].secretFromEnv: environment variable"), strict.err());
        CliRun apply = run("config", "apply", file.toString());
        assertEquals(2, apply.exitCode(), "applying needs every secret: " + apply.out());
        assertEquals("[]", run("clients", "list", "-o", "json").out().trim(), "nothing was applied");

        Files.writeString(file, Files.readString(file).replace("grantTypes: [client_credentials]", "colour: blue"));
        CliRun shape = run("config", "check", file.toString());
        assertEquals(2, shape.exitCode(), "a wrong shape is still an error without the secrets");
        assertTrue(shape.err().contains(":3: clients[0].colour: unknown field"), shape.err());
    }

    @Test
    void relativePathsAreTheCallersNotTheProcesss() throws Exception {
        Path caller = Files.createTempDirectory("caller");
        Files.writeString(caller.resolve("bad.yaml"), "clients:\n  - id: a\n    colour: blue\n");
        settings.put("lanyard.cwd", caller.toString());
        CliRun bad = run("config", "check", "bad.yaml");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains(caller.resolve("bad.yaml") + ":3: clients[0].colour: unknown field"), bad.err());
        CliRun missing = run("config", "check", "missing.yaml");
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains(caller.resolve("missing.yaml") + ": cannot read the file"), missing.err());
        assertFalse(missing.err().contains(":0:"), "no line is to blame: " + missing.err());
        CliRun ca = run("tls", "dev-ca", "--out", "dev-tls", "--host", "localhost");
        assertEquals(0, ca.exitCode(), ca.err());
        assertTrue(Files.exists(caller.resolve("dev-tls").resolve("ca.pem")), ca.out());
    }

    @Test
    void clientLifecycle() throws Exception {
        CliRun created = run("clients", "create", "reports", "--scope", "reports.read,reports.write",
                "--default-scope", "reports.read", "--audience", "https://api.example.com", "--token-lifetime", "15m",
                "-o", "json");
        assertEquals(0, created.exitCode(), created.err());
        Map<String, Object> client = JSONObjectUtils.parse(created.out());
        String secret = (String) client.get("client_secret");
        assertTrue(secret.length() >= 43);
        assertEquals(900L, ((Number) client.get("token_lifetime_seconds")).longValue());

        CliRun list = run("clients", "list", "-o", "json");
        assertEquals("reports", jsonList(list.out()).get(0).get("client_id"));
        assertFalse(list.out().contains(secret), "a secret is shown once, at creation");

        CliRun table = run("clients", "list");
        assertTrue(table.out().startsWith("CLIENT_ID"), table.out());

        CliRun updated = run("clients", "update", "reports", "--name", "Reports service", "-o", "json");
        assertEquals(0, updated.exitCode(), updated.err());
        assertEquals("Reports service", JSONObjectUtils.parse(updated.out()).get("name"));

        CliRun rotated = run("clients", "rotate-secret", "reports", "-o", "json");
        assertNotEquals(secret, JSONObjectUtils.parse(rotated.out()).get("client_secret"));

        assertEquals(0, run("clients", "delete", "reports").exitCode());
        CliRun gone = run("clients", "show", "reports");
        assertEquals(1, gone.exitCode());
        assertEquals("lanyard: no client 'reports'", gone.err().trim());
    }

    @Test
    void badClientInputGetsAReadableMessage() {
        CliRun badId = run("clients", "create", "-bad id");
        assertEquals(2, badId.exitCode());
        CliRun badLifetime = run("clients", "create", "ok", "--token-lifetime", "soon");
        assertEquals(2, badLifetime.exitCode());
        assertTrue(badLifetime.err().contains("--token-lifetime"), badLifetime.err());
        CliRun badScope = run("clients", "create", "ok", "--scope", "a\"b");
        assertEquals(2, badScope.exitCode());
        assertTrue(badScope.err().startsWith("lanyard: scopes:"), badScope.err());
        CliRun duplicate = run("clients", "create", "twice");
        assertEquals(0, duplicate.exitCode());
        CliRun again = run("clients", "create", "twice");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(2, run("clients", "frobnicate").exitCode());
        settings.put("lanyard.keys.algorithms", "RS256");
        CliRun unconfigured = run("clients", "create", "es", "--signing-alg", "ES256");
        assertEquals(2, unconfigured.exitCode());
        assertTrue(unconfigured.err().contains("configured algorithms"), unconfigured.err());
    }

    @Test
    void keysListAndRotate() throws Exception {
        CliRun first = run("keys", "rotate", "-o", "json");
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(2, jsonList(first.out()).size(), "one key per configured algorithm");

        List<Map<String, Object>> keys = jsonList(run("keys", "list", "-o", "json").out());
        assertEquals(2, keys.size());
        assertTrue(keys.stream().allMatch(k -> k.get("state").equals("PENDING")), keys.toString());

        CliRun emergency = run("keys", "rotate", "--alg", "ES256", "--activate-now");
        assertEquals(0, emergency.exitCode(), emergency.err());
        assertTrue(emergency.err().contains("WARNING"), "the emergency path warns about cached JWKS");
        List<Map<String, Object>> after = jsonList(run("keys", "list", "-o", "json").out());
        assertEquals(1, after.stream().filter(k -> k.get("alg").equals("ES256") && k.get("state").equals("ACTIVE")).count());

        CliRun table = run("keys", "list");
        assertTrue(table.out().startsWith("KID"), table.out());

        Map<String, Object> strangerKek = new HashMap<>(settings);
        strangerKek.put("lanyard.kek", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
        CliRun stranger = CliRun.run(strangerKek, "keys", "rotate");
        assertEquals(2, stranger.exitCode(), "a key the other replicas could not open is never written");
        assertTrue(stranger.err().contains("sealed by key-encryption key"), stranger.err());
        assertEquals(after.size(), jsonList(run("keys", "list", "-o", "json").out()).size());

        CliRun hmac = run("keys", "rotate", "--alg", "HS256");
        assertEquals(2, hmac.exitCode());
        assertTrue(hmac.err().contains("HS256"), hmac.err());
    }

    @Test
    void configCheckCountsTrustedIssuers() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, """
                trustedIssuers:
                  - issuer: https://kubernetes.default.svc.cluster.local
                    audience: lanyard
                    serviceAccounts: [{namespace: billing, serviceAccount: invoicer, client: billing-invoicer}]
                """);
        CliRun checked = run("config", "check", file.toString());
        assertEquals(0, checked.exitCode(), checked.err());
        assertTrue(checked.out().contains("0 group(s), 1 trusted issuer(s)"), checked.out());
        CliRun applied = run("config", "apply", file.toString());
        assertEquals(0, applied.exitCode(), applied.err());
        assertTrue(applied.out().contains("trustedIssuers take effect when the servers restart"), applied.out());
    }

    @Test
    void configCheckAndApply() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "clients:\n  - id: a\n    grantTypes: [client_credentials]\n    secretHash: nope\n");
        CliRun bad = run("config", "check", file.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains(file + ":4: clients[0].secretHash:"), bad.err());

        Files.writeString(file, "clients:\n  - id: a\n    grantTypes: [client_credentials]\n"
                + "    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ\n    colour: blue\n");
        CliRun unknown = run("config", "apply", file.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains(":5: clients[0].colour: unknown field"), unknown.err());

        Files.writeString(file, "clients:\n  - id: a\n    grantTypes: [client_credentials]\n"
                + "    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ\n");
        CliRun applied = run("config", "apply", file.toString());
        assertEquals(0, applied.exitCode(), applied.err());
        assertTrue(applied.out().contains("1 created"), applied.out());
        CliRun again = run("config", "apply", file.toString());
        assertTrue(again.out().contains("0 created, 0 updated, 0 deleted, 1 unchanged"), again.out());

        Files.writeString(file, "clients:\n  - id: empty\n    grantTypes: [client_credentials]\n"
                + "    secretHash: sha256:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\n");
        CliRun empty = run("config", "check", file.toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("digest of an empty secret"), empty.err());

        Files.writeString(file, "clients:\n  - id: short\n    grantTypes: [client_credentials]\n"
                + "    secretFromEnv: LANYARD_TEST_SHORT_SECRET\n");
        CliRun shortSecret = run("config", "check", file.toString());
        assertEquals(2, shortSecret.exitCode());
        assertTrue(shortSecret.err().contains(":4: clients[0].secretFromEnv:") && shortSecret.err().contains("32"),
                shortSecret.err());

        Files.writeString(file, "clients: [\n");
        CliRun yaml = run("config", "check", file.toString());
        assertEquals(2, yaml.exitCode());
        assertTrue(yaml.err().contains("not valid YAML"), yaml.err());
    }

    @Test
    void tokenExchangePoliciesInTheFile() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        String clients = "clients:\n  - id: share\n    grantTypes: [client_credentials, "
                + "'urn:ietf:params:oauth:grant-type:token-exchange']\n"
                + "    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ\n"
                + "  - id: cli\n    public: true\n    grantTypes: [authorization_code]\n"
                + "    redirectUris: [http://localhost:8000]\n";
        Files.writeString(file, clients + "tokenExchange:\n  - client: cli\n    audiences: [todo]\n");
        CliRun publicClient = run("config", "check", file.toString());
        assertEquals(2, publicClient.exitCode());
        assertTrue(publicClient.err().contains(":10: tokenExchange[0].client: only a confidential client"), publicClient.err());

        Files.writeString(file, clients + "tokenExchange:\n  - client: share\n    subjectIssuers: [nowhere]\n"
                + "    audiences: [todo]\n");
        CliRun badIssuer = run("config", "check", file.toString());
        assertEquals(2, badIssuer.exitCode());
        assertTrue(badIssuer.err().contains("tokenExchange[0].subjectIssuers: 'nowhere' must be 'self' or an issuer URL"),
                badIssuer.err());

        Files.writeString(file, clients + "tokenExchange:\n  - client: share\n    audiences: [todo]\n"
                + "    scopes: [todo.read]\n    impersonation: false\n");
        CliRun applied = run("config", "apply", file.toString());
        assertEquals(0, applied.exitCode(), applied.err());
        CliRun again = run("config", "apply", file.toString());
        assertTrue(again.out().contains("0 created, 0 updated, 0 deleted"), again.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"serve", "--help"},
                new String[]{"keys", "rotate", "--help"}, new String[]{"clients", "create", "--help"},
                new String[]{"config", "apply", "--help"})) {
            CliRun help = run(args);
            assertEquals(0, help.exitCode());
            assertTrue(help.out().contains("Usage:"), help.out());
        }
    }
}
