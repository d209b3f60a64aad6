package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client's access-token typ, at+jwt or none, wherever a client setting is made: the CLI and the declarative file. */
class AccessTokenTypCliTest {
    private static final String JWT_REFUSAL = "'JWT' must be at+jwt (RFC 9068, the default) or none (no typ header); "
            + "JWT is the typ of id_tokens, which an access token must never pass for";

    @TempDir
    static Path dir;
    static Map<String, Object> settings;

    @BeforeAll
    static void setUp() {
        settings = new HashMap<>(TestDatabases.freshPostgres());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        settings.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        assertEquals(0, run("clients", "create", "existing").exitCode());
    }

    static CliRun run(String... args) {
        return CliRun.run(settings, args);
    }

    static Map<String, Object> json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSONObjectUtils.parse(run.out());
    }

    static Object typ(String clientId) throws Exception {
        return json(run("clients", "show", clientId, "-o", "json")).get("access_token_typ");
    }

    @Test
    void createShowListAndUpdate() throws Exception {
        Map<String, Object> created = json(run("clients", "create", "legacy", "--access-token-typ", "none",
                "-o", "json"));
        assertEquals("none", created.get("access_token_typ"));
        created.remove("client_secret");
        assertEquals(created, json(run("clients", "show", "legacy", "-o", "json")), "what create printed was stored");
        assertEquals("at+jwt", typ("existing"), "the default is RFC 9068's");

        List<Map<String, Object>> listed = CliTest.jsonList(run("clients", "list", "-o", "json").out());
        assertTrue(listed.size() >= 2 && listed.stream().allMatch(c -> c.containsKey("access_token_typ")),
                listed.toString());

        assertEquals("at+jwt", json(run("clients", "update", "legacy", "--access-token-typ", "at+jwt", "-o", "json"))
                .get("access_token_typ"));
        assertEquals("none", json(run("clients", "update", "legacy", "--access-token-typ", "none", "-o", "json"))
                .get("access_token_typ"));
        assertEquals("none", json(run("clients", "update", "legacy", "--name", "Legacy", "-o", "json"))
                .get("access_token_typ"), "an update that does not name it keeps it");
        CliRun table = run("clients", "show", "legacy");
        assertTrue(table.out().contains("access_token_typ:") && table.out().contains("none"), table.out());
    }

    @Test
    void badValuesAreRefusedAndWriteNothing() {
        assertRefused("--access-token-typ: " + JWT_REFUSAL, "clients", "create", "confused", "--access-token-typ", "JWT");
        assertRefused("--access-token-typ: " + JWT_REFUSAL, "clients", "update", "existing", "--access-token-typ", "JWT");
        assertRefused("--access-token-typ: 'application/at+jwt' must be at+jwt (RFC 9068, the default) or none",
                "clients", "update", "existing", "--access-token-typ", "application/at+jwt");
        assertRefused("--access-token-typ: 'NONE' must be at+jwt", "clients", "create", "shouting",
                "--access-token-typ", "NONE");
        assertRefused("--access-token-typ: '' must be at+jwt", "clients", "create", "empty", "--access-token-typ", "");
    }

    @Test
    void theDeclarativeFile() throws Exception {
        Path file = dir.resolve("clients.yaml");
        Files.writeString(file, """
                clients:
                  - id: from-file
                    grantTypes: [client_credentials]
                    audiences: [reports]
                    accessTokenTyp: none
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                  - id: typed-by-default
                    grantTypes: [client_credentials]
                    audiences: [reports]
                    secretHash: sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ
                """);
        CliRun applied = run("config", "apply", file.toString());
        assertEquals(0, applied.exitCode(), applied.err());
        assertTrue(applied.out().contains("2 created"), applied.out());
        assertEquals("none", typ("from-file"));
        assertEquals("at+jwt", typ("typed-by-default"));
        CliRun again = run("config", "apply", file.toString());
        assertTrue(again.out().contains("0 created, 0 updated, 0 deleted, 2 unchanged"), "the stored setting reads "
                + "back as the file's: " + again.out());

        String before = run("clients", "list", "-o", "json").out();
        for (String bad : List.of("JWT", "at+JWT", "'null'")) {
            Files.writeString(file, Files.readString(file).replaceFirst("accessTokenTyp: .*", "accessTokenTyp: " + bad));
            for (String command : List.of("check", "apply")) {
                CliRun refused = run("config", command, file.toString());
                assertEquals(2, refused.exitCode(), command + " " + bad + ": " + refused.out());
                String value = bad.replace("'", "");
                assertTrue(refused.err().contains(file + ":5: clients[0].accessTokenTyp: '" + value + "' must be at+jwt"
                        + " (RFC 9068, the default) or none (no typ header)"), refused.err());
                assertTrue(!bad.equals("JWT") || refused.err().contains(JWT_REFUSAL), refused.err());
                assertFalse(refused.err().contains("Exception"), refused.err());
            }
        }
        assertEquals(before, run("clients", "list", "-o", "json").out(), "a refused file changes nothing");
    }

    /** The command fails with exit code 2 and {@code message} on stderr, and the clients are as they were. */
    static void assertRefused(String message, String... args) {
        CliRun before = run("clients", "list", "-o", "json");
        CliRun refused = run(args);
        assertEquals(2, refused.exitCode(), String.join(" ", args) + "\n" + refused.out() + refused.err());
        assertTrue(refused.err().contains(message), String.join(" ", args) + ": " + refused.err());
        assertFalse(refused.err().contains("Exception"), "no stack trace: " + refused.err());
        assertEquals("", refused.out(), "nothing printed as if it had worked");
        assertEquals(before.out(), run("clients", "list", "-o", "json").out(), String.join(" ", args));
    }
}
