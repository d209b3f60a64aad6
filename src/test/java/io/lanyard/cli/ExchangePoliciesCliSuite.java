package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.lanyard.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lanyard exchange-policies` and how its policies live beside the declarative file's, on PostgreSQL and H2. */
abstract class ExchangePoliciesCliSuite {
    private static final String SECRET_HASH = "sha256:jxLQn1iErpNm7I-jeG-BYmRNkQIxVtgt4vhCwEh6ZdQ";
    Map<String, Object> settings;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void database() {
        settings = new HashMap<>(TestDatabases.fresh(kind()));
        settings.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }

    CliRun run(String... args) {
        return CliRun.run(settings, args);
    }

    static Map<String, Object> json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSONObjectUtils.parse(run.out());
    }

    List<Map<String, Object>> policies() throws Exception {
        CliRun list = run("exchange-policies", "list", "-o", "json");
        assertEquals(0, list.exitCode(), list.err());
        return CliTest.jsonList(list.out());
    }

    /** What running servers poll to know they must reload clients and policies. */
    long clientsVersion() {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(settings).environments("cli")
                .deduceEnvironment(false).start()) {
            return ctx.getBean(Database.class).query(CacheVersions::read).get(CacheVersions.CLIENTS);
        }
    }

    static void assertFails(CliRun run, int exitCode, String message) {
        assertEquals(exitCode, run.exitCode(), run.out() + run.err());
        assertEquals("lanyard: " + message, run.err().trim());
        assertEquals("", run.out(), "a refused command prints no policy");
    }

    Path file(String yaml) throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void policyLifecycle() throws Exception {
        assertEquals(0, run("clients", "create", "share").exitCode());
        long before = clientsVersion();
        Map<String, Object> set = json(run("exchange-policies", "set", "share", "--audience", "todo",
                "--audience", "https://audit.example.com", "--scope", "todo.read,todo.write", "--impersonation",
                "--subject-issuer", "self", "--subject-issuer", "https://kubernetes.default.svc",
                "--may-outlive-subject", "-o", "json"));
        assertEquals("share", set.get("client_id"));
        assertEquals(List.of("https://audit.example.com", "todo"), set.get("audiences"));
        assertEquals(List.of("todo.read", "todo.write"), set.get("scopes"));
        assertEquals(true, set.get("impersonation"));
        assertEquals(List.of("https://kubernetes.default.svc", "self"), set.get("subject_issuers"));
        assertEquals(true, set.get("may_outlive_subject"));
        assertEquals("cli", set.get("source"));
        assertTrue(clientsVersion() > before, "running servers reload");

        assertEquals(set, json(run("exchange-policies", "show", "share", "-o", "json")));
        CliRun table = run("exchange-policies", "show", "share");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("may_outlive_subject: true"), table.out());
        CliRun list = run("exchange-policies", "list");
        assertTrue(list.out().startsWith("CLIENT_ID"), list.out());
        assertTrue(list.out().contains("share"), list.out());
        assertEquals(List.of(set), policies());

        // set writes the whole policy, as an entry in the file does: what is left out takes its default
        Map<String, Object> replaced = json(run("exchange-policies", "set", "share", "--audience", "todo",
                "--no-impersonation", "-o", "json"));
        assertEquals(List.of("todo"), replaced.get("audiences"));
        assertEquals(List.of(), replaced.get("scopes"));
        assertEquals(false, replaced.get("impersonation"));
        assertEquals(List.of("self"), replaced.get("subject_issuers"));
        assertEquals(false, replaced.get("may_outlive_subject"));

        long beforeDelete = clientsVersion();
        CliRun deleted = run("exchange-policies", "delete", "share");
        assertEquals(0, deleted.exitCode(), deleted.err());
        assertEquals("deleted the exchange policy of client share", deleted.out().trim());
        assertTrue(clientsVersion() > beforeDelete, "running servers reload");
        assertFails(run("exchange-policies", "show", "share"), 1, "client 'share' has no exchange policy");
        assertFails(run("exchange-policies", "delete", "share"), 1, "client 'share' has no exchange policy");
        assertEquals(List.of(), policies());
        assertEquals(0, run("clients", "show", "share").exitCode(), "the client stays");
    }

    @Test
    void refusedPoliciesSayWhyAndChangeNothing() throws Exception {
        assertEquals(0, run("clients", "create", "share").exitCode());
        assertEquals(0, run("clients", "create", "web", "--public", "--redirect-uri", "http://localhost:8000").exitCode());
        assertEquals(0, run("clients", "create", "signer", "--jwks-uri", "https://keys.example.com/jwks").exitCode());
        assertEquals(0, run("exchange-policies", "set", "share", "--audience", "todo").exitCode());
        List<Map<String, Object>> policies = policies();
        long version = clientsVersion();

        assertFails(run("exchange-policies", "set", "nobody", "--audience", "todo"), 1, "no client 'nobody'");
        assertFails(run("exchange-policies", "set", "web", "--audience", "todo"), 2,
                "only a confidential client may exchange tokens (a public client has no credential to prove who it is)");
        assertFails(run("exchange-policies", "set", "share", "--scope", "todo.read"), 2,
                "--audience: name at least one audience");
        assertFails(run("exchange-policies", "set", "share", "--audience", "todo", "--subject-issuer", "nowhere"), 2,
                "--subject-issuer: 'nowhere' must be 'self' or an issuer URL");
        assertFails(run("exchange-policies", "set", "share", "--audience", "todo", "--subject-issuer",
                "ftp://issuer.example.com"), 2, "--subject-issuer: 'ftp://issuer.example.com' must be 'self' or an issuer URL");
        assertFails(run("exchange-policies", "set", "share", "--audience", "todo", "--scope", "todo read"), 2,
                "--scope: 'todo read' must be non-empty and have no spaces");
        assertFails(run("exchange-policies", "show", "web"), 1, "client 'web' has no exchange policy");

        assertEquals(policies, policies(), "nothing was written");
        assertEquals(version, clientsVersion(), "no server was told to reload");

        // a key (or certificate, or trusted issuer's token) proves a client as well as a secret does
        CliRun signer = run("exchange-policies", "set", "signer", "--audience", "todo");
        assertEquals(0, signer.exitCode(), signer.err());
    }

    @Test
    void theFileKeepsCliPoliciesAndWinsForItsOwnClients() throws Exception {
        assertEquals(0, run("clients", "create", "share").exitCode());
        assertEquals(0, run("exchange-policies", "set", "share", "--audience", "todo").exitCode());
        String client = "clients:\n  - id: filed\n    grantTypes: [client_credentials, "
                + "'urn:ietf:params:oauth:grant-type:token-exchange']\n    secretHash: " + SECRET_HASH + "\n";
        Path withPolicy = file(client + "tokenExchange:\n  - client: filed\n    audiences: [audit]\n"
                + "    mayOutliveSubject: true\n");
        assertEquals(0, run("config", "apply", withPolicy.toString()).exitCode());
        List<Map<String, Object>> both = policies();
        assertEquals(List.of("filed", "share"), both.stream().map(p -> p.get("client_id")).toList());
        assertEquals("config", both.get(0).get("source"));
        assertEquals(true, both.get(0).get("may_outlive_subject"));
        assertEquals("cli", both.get(1).get("source"), "the file leaves a CLI policy alone");

        // the CLI may change the file's policy, with a note: the next apply puts the file's back
        CliRun changed = run("exchange-policies", "set", "filed", "--audience", "elsewhere");
        assertEquals(0, changed.exitCode(), changed.err());
        assertTrue(changed.err().contains("note: the exchange policy of client 'filed' came from the declarative file"),
                changed.err());
        assertEquals(0, run("config", "apply", withPolicy.toString()).exitCode());
        assertEquals(both, policies(), "the file's policy replaced the CLI's for its client");

        // a file that no longer declares its policy takes it away, and still leaves the CLI's
        assertEquals(0, run("config", "apply", file(client).toString()).exitCode());
        List<Map<String, Object>> left = policies();
        assertEquals(1, left.size(), left.toString());
        assertEquals("share", left.get(0).get("client_id"));
    }

    @Test
    void mayOutliveSubjectInTheFileIsTrueOrFalse() throws Exception {
        Path file = file("clients:\n  - id: share\n    grantTypes: [client_credentials]\n    secretHash: " + SECRET_HASH
                + "\ntokenExchange:\n  - client: share\n    audiences: [todo]\n    mayOutliveSubject: sometimes\n");
        CliRun bad = run("config", "check", file.toString());
        assertEquals(2, bad.exitCode());
        assertEquals("lanyard: " + file + ":8: tokenExchange[0].mayOutliveSubject: must be true or false",
                bad.err().trim());
        assertEquals(2, run("config", "apply", file.toString()).exitCode());
        assertEquals(List.of(), policies(), "a bad file changes nothing");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("set", "show", "list", "delete")) {
            CliRun help = run("exchange-policies", command, "--help");
            assertTrue(help.out().contains("Usage: lanyard exchange-policies " + command), command);
        }
        assertTrue(run("exchange-policies", "set", "--help").out().contains("--[no-]may-outlive-subject"));
    }
}
