package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.PasswordCheck;
import io.lanyard.users.PasswordHasher;
import io.lanyard.users.UserDirectory;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lanyard users` and `lanyard groups` as a person or a script runs them, on PostgreSQL and H2. */
abstract class UsersCliSuite {
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

    /** With this text on standard input (System.console() is null under the test runner). */
    CliRun runWithStdin(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    static Map<String, Object> json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSONObjectUtils.parse(run.out());
    }

    PasswordCheck login(String username, String password) {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(settings).environments("cli")
                .deduceEnvironment(false).start()) {
            return ctx.getBean(UserDirectory.class).checkPassword(username, password);
        }
    }

    static void assertFails(CliRun run, int exitCode, String message) {
        assertEquals(exitCode, run.exitCode(), run.out() + run.err());
        assertEquals("lanyard: " + message, run.err().trim());
    }

    @Test
    void userLifecycle() throws Exception {
        assertEquals(0, run("groups", "create", "engineering", "--description", "Builders").exitCode());
        assertEquals(0, run("groups", "create", "platform-admins").exitCode());
        assertEquals(0, run("groups", "add-member", "engineering", "--group", "platform-admins").exitCode());

        Map<String, Object> alice = json(runWithStdin("correct horse battery\n", "users", "create", "Alice",
                "--email", "alice@example.com", "--email-verified", "--display-name", "Alice Liddell",
                "--group", "platform-admins", "--password-stdin", "-o", "json"));
        assertEquals("Alice", alice.get("username"));
        assertEquals(true, alice.get("has_password"));
        assertEquals(true, alice.get("email_verified"));
        assertEquals(List.of("engineering", "platform-admins"), alice.get("all_groups"));
        assertFalse(alice.toString().contains("argon2"), "no hash is ever printed");
        assertInstanceOf(PasswordCheck.Verified.class, login("alice", "correct horse battery"));

        CliRun table = run("users", "show", "ALICE");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("all_groups:      engineering platform-admins"), table.out());
        CliRun list = run("users", "list");
        assertTrue(list.out().startsWith("USERNAME"), list.out());
        assertTrue(list.out().contains("Alice"), list.out());
        assertEquals(alice.get("id"), CliTest.jsonList(run("users", "list", "-o", "json").out()).get(0).get("id"));

        Map<String, Object> updated = json(run("users", "update", "alice", "--email", "alice@new.example.com",
                "--username", "alice.l", "-o", "json"));
        assertEquals(alice.get("id"), updated.get("id"), "the id survives a rename");
        assertEquals(false, updated.get("email_verified"), "a new address is not verified");

        CliRun setPassword = runWithStdin("a new passphrase\n", "users", "set-password", "alice.l");
        assertEquals(0, setPassword.exitCode(), setPassword.err());
        assertEquals("set the password of user alice.l", setPassword.out().trim());
        assertInstanceOf(PasswordCheck.Verified.class, login("Alice.L", "a new passphrase"));

        assertEquals("disabled user alice.l", run("users", "disable", "alice.l").out().trim());
        assertInstanceOf(PasswordCheck.Disabled.class, login("alice.l", "a new passphrase"));
        assertEquals(0, run("users", "enable", "alice.l").exitCode());
        assertInstanceOf(PasswordCheck.Verified.class, login("alice.l", "a new passphrase"));

        assertEquals("deleted user alice.l", run("users", "delete", "alice.l").out().trim());
        assertFails(run("users", "show", "alice.l"), 1, "no user 'alice.l'");
        assertEquals(List.of(), json(run("groups", "show", "platform-admins", "-o", "json")).get("users"));
    }

    @Test
    void failedUserCommandsSayWhyAndChangeNothing() throws Exception {
        assertEquals(0, runWithStdin("long enough\n", "users", "create", "bob", "--password-stdin").exitCode());
        assertFails(run("users", "create", "BOB"), 2, "username: user 'BOB' already exists");
        assertFails(run("users", "create", "carol", "--group", "nowhere"), 1, "no group 'nowhere'");
        assertFails(runWithStdin("short\n", "users", "create", "dave", "--password-stdin"), 2,
                "password: a password must be 8 to 1024 characters");
        assertFails(runWithStdin("", "users", "create", "erin", "--password-stdin"), 2, "no password on standard input");
        assertFails(run("users", "create", "bad name"), 2,
                "username: must be 1-128 characters of A-Z a-z 0-9 . _ @ + - and start with a letter or digit");
        assertFails(run("users", "create", "frank", "--email-verified"), 2, "emailVerified: needs an email");
        assertFails(runWithStdin("whatever-long\n", "users", "set-password", "nobody"), 1, "no user 'nobody'");
        assertFails(run("users", "disable", "nobody"), 1, "no user 'nobody'");
        assertEquals(1, CliTest.jsonList(run("users", "list", "-o", "json").out()).size(), "only bob exists");
        assertEquals(2, run("users", "set-password", "bob", "hunter22").exitCode(),
                "a password is never an argument");
    }

    @Test
    void groupsNestAndRefuseCycles() throws Exception {
        for (String g : List.of("a", "b", "c")) {
            assertEquals(0, run("groups", "create", g).exitCode());
        }
        run("users", "create", "gina");
        assertFails(run("groups", "create", "A".toLowerCase()), 2, "name: group 'a' already exists");
        assertFails(run("groups", "create", "system:masters"), 2,
                "name: 'system:masters': names starting with system: are Kubernetes' own");

        CliRun added = run("groups", "add-member", "a", "gina", "--group", "b");
        assertEquals("added user gina to a\nadded group b to a\n", added.out());
        assertEquals("user gina already was in a\n", run("groups", "add-member", "a", "gina").out());
        assertEquals(0, run("groups", "add-member", "b", "--group", "c").exitCode());

        assertFails(run("groups", "add-member", "c", "--group", "a"), 2, "groups: group 'a' cannot be a member of "
                + "'c': 'c' is already a member of 'a' (c -> b -> a), which would make a cycle");
        assertFails(run("groups", "add-member", "c", "gina", "nobody"), 1, "no user 'nobody'");
        assertFails(run("groups", "add-member", "c"), 2, "name at least one username or --group");
        assertFails(run("groups", "add-member", "nowhere", "gina"), 1, "no group 'nowhere'");
        Map<String, Object> c = json(run("groups", "show", "c", "-o", "json"));
        assertEquals(List.of(), c.get("users"), "all or none: gina was not added with the unknown user");
        assertEquals(List.of(), c.get("groups"), "the cycle was not written");
        assertEquals(List.of("b"), c.get("member_of"));

        assertEquals("removed group b from a\n", run("groups", "remove-member", "a", "--group", "b").out());
        assertEquals("group b was not a direct member of a\n", run("groups", "remove-member", "a", "--group", "b").out());
        assertTrue(run("groups", "list").out().startsWith("NAME"));
        assertEquals(3, CliTest.jsonList(run("groups", "list", "-o", "json").out()).size());
        assertEquals("deleted group a\n", run("groups", "delete", "a").out());
        assertEquals(List.of(), json(run("users", "show", "gina", "-o", "json")).get("groups"));
        assertFails(run("groups", "delete", "a"), 1, "no group 'a'");
    }

    @Test
    void hashPasswordPrintsAStringForTheDeclarativeFile() {
        CliRun hashed = runWithStdin("a password for the file\n", "users", "hash-password");
        assertEquals(0, hashed.exitCode(), hashed.err());
        String phc = hashed.out().trim();
        assertTrue(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), phc);
        assertTrue(new PasswordHasher(new io.lanyard.users.PasswordProperties(19456, 2, 1))
                .verify("a password for the file", phc));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("create", "list", "show", "update", "delete", "set-password", "disable",
                "enable", "hash-password")) {
            assertTrue(run("users", command, "--help").out().contains("Usage: lanyard users " + command), command);
        }
        for (String command : List.of("create", "list", "show", "delete", "add-member", "remove-member")) {
            assertTrue(run("groups", command, "--help").out().contains("Usage: lanyard groups " + command), command);
        }
    }
}
