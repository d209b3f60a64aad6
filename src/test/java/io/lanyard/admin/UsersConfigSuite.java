package io.lanyard.admin;

import io.lanyard.clients.ClientValidator;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.Group;
import io.lanyard.users.GroupService;
import io.lanyard.users.InvalidEntryException;
import io.lanyard.users.PasswordCheck;
import io.lanyard.users.StoredUser;
import io.lanyard.users.User;
import io.lanyard.users.UserDirectory;
import io.lanyard.users.UserService;
import io.lanyard.users.UserStore;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users: and groups: sections of the declarative file, on PostgreSQL and H2. */
abstract class UsersConfigSuite {
    /** From the reference argon2 CLI: the password is "password". */
    static final String HASH = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    ApplicationContext context;
    Database database;
    DeclarativeConfig config;
    UserDirectory directory;
    UserService users;
    Path file;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() throws Exception {
        Map<String, Object> props = new HashMap<>(TestDatabases.fresh(kind()));
        props.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        context = ApplicationContext.builder().properties(props).environments("test", "cli")
                .deduceEnvironment(false).start();
        database = context.getBean(Database.class);
        Map<String, String> env = Map.of("BOB_PASSWORD", "bobs password from env", "SHORT", "short");
        ConfigFileParser parser = new ConfigFileParser(context.getBean(ClientValidator.class), env::get);
        config = new DeclarativeConfig(database, parser, context.getBean(PeopleApplier.class),
                context.getBean(Clock.class));
        directory = context.getBean(UserDirectory.class);
        users = context.getBean(UserService.class);
        file = Files.createTempFile("lanyard", ".yaml");
    }

    @AfterEach
    void close() throws Exception {
        context.close();
        Files.deleteIfExists(file);
    }

    DeclarativeConfig.Result apply(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return config.apply(file);
    }

    long version() {
        return database.query(CacheVersions::read).get(UserStore.CACHE);
    }

    String id(String username) {
        return users.find(username).orElseThrow().user().id();
    }

    static final String FILE = """
            groups:
              - name: engineering
                description: Everyone who builds things
              - name: platform-admins
                groups: [engineering]
              - name: auditors
            users:
              - username: Alice
                email: alice@example.com
                emailVerified: true
                displayName: Alice Liddell
                passwordHash: "%s"
                groups: [platform-admins]
              - username: bob
                passwordFromEnv: BOB_PASSWORD
                groups: [engineering, auditors]
              - username: carol
                disabled: true
            """.formatted(HASH);

    @Test
    void fileUsersLogInAndApplyingAgainChangesNothingEvenAfterARehash() throws Exception {
        DeclarativeConfig.Result first = apply(FILE);
        assertEquals(6, first.created(), first.toString());
        User alice = ((PasswordCheck.Verified) directory.checkPassword("alice", "password")).user();
        assertEquals(new User(alice.id(), "Alice", "alice@example.com", true, "Alice Liddell", false), alice);
        assertEquals(List.of("engineering", "platform-admins"), directory.groupsOf(alice.id()));
        assertInstanceOf(PasswordCheck.Verified.class, directory.checkPassword("bob", "bobs password from env"));
        assertEquals(List.of("auditors", "engineering"), directory.groupsOf(id("bob")));
        assertInstanceOf(PasswordCheck.WrongPassword.class, directory.checkPassword("carol", ""), "no password");
        assertTrue(users.find("carol").orElseThrow().user().disabled());

        String rehashed = users.find("alice").orElseThrow().passwordHash();
        assertNotEquals(HASH, rehashed, "the login rehashed alice's m=65536 hash with the configured cost");
        long version = version();
        DeclarativeConfig.Result again = apply(FILE);
        assertFalse(again.changedAnything(), again.toString());
        assertEquals(6, again.unchanged());
        assertEquals(version, version(), "nothing written");
        assertEquals(rehashed, users.find("alice").orElseThrow().passwordHash(), "the rehash survives the apply");
        assertEquals(alice.id(), id("alice"), "ids are stable across applies");

        users.setPassword("alice", "changed by hand");
        assertEquals(1, apply(FILE).updated(), "the file's password wins over a CLI change");
        assertInstanceOf(PasswordCheck.Verified.class, directory.checkPassword("alice", "password"));
    }

    @Test
    void theFilePrunesWhatItMadeAndLeavesCliUsersAndGroupsAlone() throws Exception {
        apply(FILE);
        GroupService groups = context.getBean(GroupService.class);
        users.create(new User(null, "dave", null, false, null, false), null, List.of("auditors"));
        groups.create(new Group("oncall", null, StoredUser.SOURCE_CLI));
        groups.addGroup("oncall", "engineering");
        groups.addUser("platform-admins", "dave");

        DeclarativeConfig.Result result = apply("""
                groups:
                  - name: engineering
                    description: Builders
                  - name: auditors
                users:
                  - username: alice
                    passwordHash: "%s"
                """.formatted(HASH));
        assertEquals(3, result.deleted(), "bob, carol and platform-admins: " + result);
        assertTrue(users.find("bob").isEmpty());
        assertTrue(groups.find("platform-admins").isEmpty());
        assertEquals(List.of("auditors"), users.details("dave").directGroups(), "a CLI user's memberships stay");
        assertTrue(groups.find("oncall").isPresent());
        assertEquals(List.of(), groups.details("engineering").memberOf(),
                "the file owns what its groups are members of");
        assertEquals(List.of(), directory.groupsOf(id("alice")), "alice's groups are the file's: none now");
        assertEquals("Builders", groups.find("engineering").orElseThrow().description());
    }

    @Test
    void aBadFileChangesNothingAndNamesTheLine() throws Exception {
        apply(FILE);
        long version = version();
        ConfigFileException undefined = assertThrows(ConfigFileException.class, () -> apply("""
                groups:
                  - name: engineering
                users:
                  - username: alice
                    groups: [engineering]
                  - username: erin
                    groups:
                      - engineering
                      - nowhere
                """));
        assertEquals(file + ":9: users[1].groups: 'nowhere' is not defined under groups: in this file",
                undefined.getMessage());
        assertEquals(version, version());
        assertTrue(users.find("bob").isPresent(), "nothing was pruned");
        assertTrue(users.find("erin").isEmpty());

        assertError("""
                groups:
                  - name: a
                    groups: [c]
                  - name: b
                    groups: [a]
                  - name: c
                    groups: [b]
                """, ":5: groups[1].groups: 'a' makes a membership cycle (a -> c -> b -> a)");
        assertError("users:\n  - username: x\n    passwordHash: \"$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\"\n",
                ":3: users[0].passwordHash: the hash's memory-kib=4096, iterations=3 is below the OWASP minimum");
        assertError("users:\n  - username: x\n    passwordFromEnv: SHORT\n",
                ":3: users[0].passwordFromEnv: the value of SHORT: a password must be 8 to 1024 characters");
        assertError("users:\n  - username: x\n    passwordFromEnv: UNSET_VARIABLE\n", "is not set");
        assertError("users:\n  - username: x\n  - username: X\n", ":3: users[1].username: 'X' is already defined on line 2");
        assertError("users:\n  - username: x\n    emailVerified: yes\n", ":3: users[0].emailVerified: must be true or false");
        assertError("users:\n  - username: x\n    emailVerified: true\n", ":3: users[0].emailVerified: needs an email");
        assertError("users:\n  - username: x\n    password: hunter22\n", ":3: users[0].password: unknown field");
        assertError("groups:\n  - name: system:masters\n", ":2: groups[0].name: 'system:masters'");
        assertEquals(version, version());
    }

    void assertError(String yaml, String expected) {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> apply(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aVerifiedEmailBelongsToOneUserOnly() throws Exception {
        users.create(new User(null, "dora", "Dora@Example.com", true, null, false), null, List.of());
        InvalidEntryException same = assertThrows(InvalidEntryException.class,
                () -> users.create(new User(null, "dora2", "dora@example.com", true, null, false), null, List.of()));
        assertTrue(same.getMessage().contains("already the verified email of user dora"), same.getMessage());
        // unverified, the address may repeat; verifying it later is refused
        users.create(new User(null, "dora3", "dora@example.com", false, null, false), null, List.of());
        assertThrows(InvalidEntryException.class, () -> users.update("dora3",
                u -> new User(u.id(), u.username(), u.email(), true, u.displayName(), u.disabled())));

        ConfigFileException inFile = assertThrows(ConfigFileException.class, () -> apply("""
                users:
                  - username: e1
                    email: eve@example.com
                    emailVerified: true
                  - username: e2
                    email: EVE@example.com
                    emailVerified: true
                """));
        assertTrue(inFile.getMessage().contains(":6:") && inFile.getMessage().contains("line 2"), inFile.getMessage());
        ConfigFileException againstCli = assertThrows(ConfigFileException.class, () -> apply("""
                users:
                  - username: f1
                    email: dora@example.com
                    emailVerified: true
                """));
        assertTrue(againstCli.getMessage().contains("user dora"), againstCli.getMessage());
        assertTrue(users.find("f1").isEmpty(), "a refused file writes nothing");
    }
}
