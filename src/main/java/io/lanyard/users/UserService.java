package io.lanyard.users;

import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** User administration, shared by the CLI, the declarative file and the demo user. */
@Singleton
public class UserService {
    private final ApplicationEventPublisher<UsersChanged> events;
    private final Database database;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserService(Database database, PasswordHasher hasher, Clock clock, ApplicationEventPublisher<UsersChanged> events) {
        this.events = events;
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A user with their direct groups and every group they are in through nesting. */
    public record Details(StoredUser stored, List<String> directGroups, List<String> allGroups) {
    }

    public List<StoredUser> list() {
        return database.query(UserStore::list);
    }

    public Optional<StoredUser> find(String username) {
        return database.query(c -> UserStore.findByUsername(c, username));
    }

    public Details details(String username) {
        return database.query(c -> {
            StoredUser stored = UserStore.findByUsername(c, username).orElseThrow(() -> new NoSuchUserException(username));
            TreeSet<String> direct = GroupStore.groupsOfUser(c, stored.user().id());
            return new Details(stored, List.copyOf(direct), List.copyOf(GroupGraph.load(c).closure(direct)));
        });
    }

    /**
     * Creates a user made with the CLI; the id in {@code draft} is ignored, a new one is made.
     * The groups must exist; the user is in all of them or the user is not created.
     */
    public StoredUser create(User draft, @Nullable String password, Collection<String> groups) {
        User user = new User(UserStore.newId(), draft.username(), draft.email(), draft.emailVerified(),
                draft.displayName(), draft.disabled());
        UserRules.validate(user);
        if (password != null) {
            UserRules.validatePassword("password", password);
        }
        StoredUser stored = new StoredUser(user, password == null ? null : hasher.hash(password), null,
                StoredUser.SOURCE_CLI);
        try {
            database.inTransaction(c -> {
                if (UserStore.findByUsername(c, user.username()).isPresent()) {
                    throw duplicate(user.username());
                }
                requireUniqueEmail(c, user);
                UserStore.insert(c, stored, clock.instant());
                for (String group : groups) {
                    requireGroup(c, group);
                    GroupStore.addUser(c, group, user.id());
                }
                return null;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw duplicate(user.username());
            }
            throw e;
        }
        events.publishEvent(new UsersChanged());
        return stored;
    }

    /** Changes profile fields; the id never changes, the username may (still unique regardless of case). */
    public StoredUser update(String username, UnaryOperator<User> change) {
        StoredUser result;
        try {
            result = database.inTransaction(c -> {
                StoredUser current = UserStore.findByUsername(c, username)
                        .orElseThrow(() -> new NoSuchUserException(username));
                User changed = change.apply(current.user());
                User kept = new User(current.user().id(), changed.username(), changed.email(), changed.emailVerified(),
                        changed.displayName(), changed.disabled());
                if (StoredUser.SOURCE_CONNECTOR.equals(current.source())) {
                    // the directory owns a federated person's name and email; Lanyard may only disable them
                    if (!kept.equals(new User(current.user().id(), current.user().username(), current.user().email(),
                            current.user().emailVerified(), current.user().displayName(), kept.disabled()))) {
                        throw new InvalidEntryException("username", "this person comes from a connector, which owns "
                                + "their name and email; only disabling them is possible here");
                    }
                    StoredUser updated = new StoredUser(kept, current.passwordHash(), current.configPasswordHash(),
                            current.source());
                    UserStore.update(c, updated, clock.instant());
                    return updated;
                }
                UserRules.validate(kept);
                if (!UserStore.key(kept.username()).equals(UserStore.key(username))
                        && UserStore.findByUsername(c, kept.username()).isPresent()) {
                    throw duplicate(kept.username());
                }
                requireUniqueEmail(c, kept);
                StoredUser updated = new StoredUser(kept, current.passwordHash(), current.configPasswordHash(),
                        current.source());
                UserStore.update(c, updated, clock.instant());
                return updated;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw new InvalidEntryException("username", "another user is already called that");
            }
            throw e;
        }
        events.publishEvent(new UsersChanged());
        return result;
    }

    public void setPassword(String username, String password) {
        UserRules.validatePassword("password", password);
        String hash = hasher.hash(password);
        database.inTransaction(c -> {
            StoredUser current = UserStore.findByUsername(c, username).orElseThrow(() -> new NoSuchUserException(username));
            if (StoredUser.SOURCE_CONNECTOR.equals(current.source())) {
                throw new InvalidEntryException("password", "this person comes from a connector and logs in with the "
                        + "directory's password");
            }
            // forgetting what the file last set makes the next apply restore the file's password
            UserStore.update(c, new StoredUser(current.user(), hash, null, current.source()), clock.instant());
            return null;
        });
    }

    public StoredUser setDisabled(String username, boolean disabled) {
        return update(username, u -> new User(u.id(), u.username(), u.email(), u.emailVerified(), u.displayName(),
                disabled));
    }

    public void delete(String username) {
        boolean found = database.inTransaction(c -> {
            Optional<StoredUser> current = UserStore.findByUsername(c, username);
            return current.isPresent() && UserStore.delete(c, current.get().user().id());
        });
        if (!found) {
            throw new NoSuchUserException(username);
        }
        events.publishEvent(new UsersChanged());
    }

    static void requireGroup(Connection c, String group) throws SQLException {
        if (GroupStore.find(c, group).isEmpty()) {
            throw new NoSuchGroupException(group);
        }
    }

    static void requireUniqueEmail(java.sql.Connection c, User user) throws java.sql.SQLException {
        Optional<StoredUser> holder = UserStore.holderOfVerifiedEmail(c, user);
        if (holder.isPresent()) {
            throw new InvalidEntryException("email", "'" + user.email() + "' is already the verified email of user "
                    + holder.get().user().username() + " (a verified email can be a Kubernetes username, so it must be unique)");
        }
    }

    private static InvalidEntryException duplicate(String username) {
        return new InvalidEntryException("username", "user '" + username + "' already exists");
    }
}
