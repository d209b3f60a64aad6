package io.lanyard.users;

import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.lanyard.testing.TestDatabases;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users, groups and password logins against PostgreSQL and H2 (PostgreSQL mode), same migrations. */
abstract class UsersStorageSuite {
    ApplicationContext context;
    Database database;
    UserService users;
    GroupService groups;
    UserDirectory directory;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() {
        Map<String, Object> props = new HashMap<>(TestDatabases.fresh(kind()));
        props.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        context = ApplicationContext.builder().properties(props).environments("test", "cli")
                .deduceEnvironment(false).start();
        database = context.getBean(Database.class);
        users = context.getBean(UserService.class);
        groups = context.getBean(GroupService.class);
        directory = context.getBean(UserDirectory.class);
    }

    @AfterEach
    void close() {
        context.close();
    }

    StoredUser create(String username, String password, String... groupNames) {
        return users.create(new User(null, username, null, false, null, false), password, List.of(groupNames));
    }

    void group(String... names) {
        for (String name : names) {
            groups.create(new Group(name, null, StoredUser.SOURCE_CLI));
        }
    }

    @Test
    void passwordLoginIgnoresUsernameCaseAndReportsDisabledOnlyAfterThePassword() {
        StoredUser alice = create("Alice", "correct horse battery");
        assertEquals(22, alice.user().id().length(), "128 random bits, base64url");
        assertFalse(users.find("alice").orElseThrow().passwordHash().contains("correct"), "only the hash is stored");

        PasswordCheck ok = directory.checkPassword("aLiCe", "correct horse battery");
        assertEquals(new PasswordCheck.Verified(alice.user()), ok);
        assertEquals(new PasswordCheck.WrongPassword(alice.user()), directory.checkPassword("alice", "wrong horse battery"));
        assertInstanceOf(PasswordCheck.UnknownUser.class, directory.checkPassword("bob", "correct horse battery"));
        assertInstanceOf(PasswordCheck.UnknownUser.class, directory.checkPassword("' OR 1=1 --", "x"));

        users.setDisabled("alice", true);
        assertInstanceOf(PasswordCheck.WrongPassword.class, directory.checkPassword("alice", "wrong horse battery"),
                "a guesser does not learn that the account exists and is disabled");
        assertInstanceOf(PasswordCheck.Disabled.class, directory.checkPassword("alice", "correct horse battery"));

        create("nopass", null);
        assertInstanceOf(PasswordCheck.WrongPassword.class, directory.checkPassword("nopass", ""));
        assertEquals(alice.user().id(), directory.findById(alice.user().id()).orElseThrow().id());
        assertTrue(directory.findById("nobody").isEmpty());
    }

    @Test
    void unknownUsersAndUsersWithoutPasswordCostOneHash() {
        AtomicInteger burned = new AtomicInteger();
        PasswordHasher counting = new PasswordHasher(new PasswordProperties(19456, 2, 1)) {
            @Override
            public void burn(String password) {
                burned.incrementAndGet();
                super.burn(password);
            }
        };
        UserDirectory counted = new UserDirectory(database, counting, context.getBean(Connectors.class),
                context.getBean(FederatedUsers.class));
        create("nopass", null);
        counted.checkPassword("nobody", "whatever-password");
        counted.checkPassword("nopass", "whatever-password");
        counted.checkPassword("bad name!", "whatever-password");
        assertEquals(3, burned.get());
    }

    @Test
    void aHashWithOtherParametersIsReplacedAtTheNextSuccessfulLogin() {
        StoredUser carol = create("carol", null);
        String old = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
                ps.setString(1, old);
                ps.setString(2, carol.user().id());
                return ps.executeUpdate();
            }
        });
        assertInstanceOf(PasswordCheck.WrongPassword.class, directory.checkPassword("carol", "passwore"));
        assertEquals(old, users.find("carol").orElseThrow().passwordHash(), "a failed login changes nothing");
        assertInstanceOf(PasswordCheck.Verified.class, directory.checkPassword("carol", "password"));
        String rehashed = users.find("carol").orElseThrow().passwordHash();
        assertTrue(rehashed.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), rehashed);
        assertInstanceOf(PasswordCheck.Verified.class, directory.checkPassword("carol", "password"));
        assertEquals(rehashed, users.find("carol").orElseThrow().passwordHash(), "rehashed once");
    }

    @Test
    void usernamesAreUniqueRegardlessOfCaseAndAFailedCreateLeavesNothing() {
        create("Dave", "long enough");
        InvalidEntryException dup = assertThrows(InvalidEntryException.class, () -> create("dave", "long enough"));
        assertEquals("username: user 'dave' already exists", dup.getMessage());
        assertThrows(NoSuchGroupException.class, () -> create("erin", "long enough", "missing"));
        assertTrue(users.find("erin").isEmpty(), "no half-made user");
        assertThrows(InvalidEntryException.class, () -> create("frank", "short"));
        assertThrows(InvalidEntryException.class, () -> create("-frank", "long enough"));
        assertEquals(1, users.list().size());

        String id = users.find("dave").orElseThrow().user().id();
        users.update("DAVE", u -> new User(u.id(), "david", "david@example.com", true, "David", false));
        StoredUser renamed = users.find("David").orElseThrow();
        assertEquals(id, renamed.user().id(), "the id survives a rename");
        assertEquals("david", renamed.user().username());
        create("zed", "long enough");
        assertThrows(InvalidEntryException.class,
                () -> users.update("zed", u -> new User(u.id(), "DAVID", null, false, null, false)));
    }

    @Test
    void groupsAreFlattenedThroughNestingAndCyclesAreRefused() {
        group("a", "b", "c", "d", "e");
        StoredUser user = create("gina", null, "a", "d");
        assertTrue(groups.addGroup("b", "a"), "a is in b");
        assertTrue(groups.addGroup("c", "b"), "b is in c");
        assertFalse(groups.addGroup("c", "b"), "already");
        assertEquals(List.of("a", "b", "c", "d"), directory.groupsOf(user.user().id()));
        assertEquals(List.of(), directory.groupsOf("nobody"));

        long version = database.query(CacheVersions::read).get(UserStore.CACHE);
        InvalidEntryException cycle = assertThrows(InvalidEntryException.class, () -> groups.addGroup("a", "c"));
        assertEquals("groups: group 'c' cannot be a member of 'a': 'a' is already a member of 'c' (a -> b -> c), "
                + "which would make a cycle", cycle.getMessage());
        assertThrows(InvalidEntryException.class, () -> groups.addGroup("e", "e"));
        assertEquals(List.of(), groups.details("a").groups(), "the refused edge was not written");
        assertEquals(version, database.query(CacheVersions::read).get(UserStore.CACHE));

        // a cycle written behind Lanyard's back still cannot make flattening loop
        database.inTransaction(c -> c.createStatement().executeUpdate(
                "INSERT INTO nested_groups (parent_group, child_group) VALUES ('a', 'c')"));
        assertEquals(List.of("a", "b", "c", "d"), directory.groupsOf(user.user().id()));

        GroupService.Details b = groups.details("b");
        assertEquals(List.of("a"), b.groups());
        assertEquals(List.of("c"), b.memberOf());
        assertEquals(List.of("gina"), groups.details("a").users());
        UserService.Details details = users.details("GINA");
        assertEquals(List.of("a", "d"), details.directGroups());
        assertEquals(List.of("a", "b", "c", "d"), details.allGroups());
    }

    @Test
    void deletingCascadesToMembershipsOnly() {
        group("ops", "all");
        groups.addGroup("all", "ops");
        StoredUser hank = create("hank", null, "ops");
        create("ivy", null, "ops");
        groups.delete("ops");
        assertEquals(List.of(), directory.groupsOf(hank.user().id()));
        assertEquals(Set.of("hank", "ivy"), Set.copyOf(users.list().stream().map(u -> u.user().username()).toList()));
        assertTrue(groups.find("all").isPresent());
        users.delete("ivy");
        assertThrows(NoSuchUserException.class, () -> users.delete("ivy"));
        assertThrows(NoSuchGroupException.class, () -> groups.delete("ops"));
        assertThrows(NoSuchUserException.class, () -> groups.addUser("all", "ivy"));
        assertTrue(groups.addUser("all", "HANK"));
        assertTrue(groups.removeUser("all", "hank"));
        assertFalse(groups.removeUser("all", "hank"));
    }
}
