package io.lanyard.admin;

import io.lanyard.users.Group;
import io.lanyard.users.GroupStore;
import io.lanyard.users.PasswordHasher;
import io.lanyard.users.StoredUser;
import io.lanyard.users.User;
import io.lanyard.users.UserStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The users and groups part of applying the declarative file, inside its transaction. The file
 * owns the users and groups it names, including which groups each is a direct member of; users
 * and groups made with the CLI are left alone, and so are their memberships in the file's groups.
 */
@Singleton
public class PeopleApplier {
    private final PasswordHasher hasher;

    public PeopleApplier(PasswordHasher hasher) {
        this.hasher = hasher;
    }

    /** How many users and groups were created, updated, deleted and left unchanged. */
    record Counts(int created, int updated, int deleted, int unchanged) {
    }

    Counts apply(Connection c, ParsedConfig wanted, Instant now) throws SQLException {
        GroupStore.lock(c);
        Set<String> created = new HashSet<>();
        Set<String> updated = new HashSet<>();
        Map<String, Group> groups = GroupStore.list(c).stream().collect(Collectors.toMap(Group::name, Function.identity()));
        for (ParsedConfig.DeclaredGroup declared : wanted.groups()) {
            Group current = groups.get(declared.group().name());
            if (current == null) {
                GroupStore.insert(c, declared.group(), now);
                created.add("group " + declared.group().name());
            } else if (!current.equals(declared.group())) {
                GroupStore.update(c, declared.group(), now);
                updated.add("group " + declared.group().name());
            }
        }
        Map<String, StoredUser> users = UserStore.list(c).stream()
                .collect(Collectors.toMap(u -> UserStore.key(u.user().username()), Function.identity()));
        for (ParsedConfig.DeclaredUser declared : wanted.users()) {
            StoredUser current = users.get(UserStore.key(declared.user().username()));
            StoredUser desired = desired(declared, current);
            String label = "user " + UserStore.key(declared.user().username());
            Optional<StoredUser> holder = UserStore.holderOfVerifiedEmail(c, desired.user());
            if (holder.isPresent()) {
                throw new ConfigFileException(wanted.file(), declared.line(), "email", "'" + desired.user().email()
                        + "' is already the verified email of user " + holder.get().user().username()
                        + " (a verified email can be a Kubernetes username, so it must be unique)");
            }
            if (current == null) {
                UserStore.insert(c, desired, now);
                created.add(label);
            } else if (!current.equals(desired)) {
                UserStore.update(c, desired, now);
                updated.add(label);
            }
            if (syncUserGroups(c, desired.user().id(), declared.groups()) && current != null) {
                updated.add(label);
            }
        }
        for (ParsedConfig.DeclaredGroup declared : wanted.groups()) {
            String name = declared.group().name();
            boolean parents = syncParents(c, name, declared.groups());
            boolean upstream = GroupStore.setUpstreamMembers(c, name, declared.upstreamMembers());
            if ((parents || upstream) && groups.containsKey(name)) {
                updated.add("group " + name);
            }
        }
        int deleted = prune(c, wanted, users.values(), groups.values());
        Optional<List<String>> cycle = GroupStore.cycle(c);
        if (cycle.isPresent()) {
            // cannot happen from the file alone (checked when parsed); rolls the whole apply back
            throw new ConfigFileException(wanted.file(), 1, "groups", "applying would make a membership cycle ("
                    + String.join(" -> ", cycle.get()) + ")");
        }
        int named = wanted.users().size() + wanted.groups().size();
        return new Counts(created.size(), updated.size(), deleted, named - created.size() - updated.size());
    }

    /** The row the file asks for, keeping the id and, when the file's password is unchanged, the stored hash. */
    private StoredUser desired(ParsedConfig.DeclaredUser declared, StoredUser current) {
        User d = declared.user();
        User user = new User(current == null ? UserStore.newId() : current.user().id(), d.username(), d.email(),
                d.emailVerified(), d.displayName(), d.disabled());
        String hash = null;
        String fromFile = null;
        if (declared.passwordHash() != null) {
            fromFile = declared.passwordHash();
            boolean same = current != null && current.passwordHash() != null
                    && fromFile.equals(current.configPasswordHash());
            // the stored hash may be a rehash of the file's (same password, current cost): keep it
            hash = same ? current.passwordHash() : fromFile;
        } else if (declared.password() != null) {
            boolean same = current != null && current.passwordHash() != null
                    && hasher.verify(declared.password(), current.passwordHash());
            hash = same ? current.passwordHash() : hasher.hash(declared.password());
        }
        return new StoredUser(user, hash, fromFile, StoredUser.SOURCE_CONFIG);
    }

    private static boolean syncUserGroups(Connection c, String userId, Set<String> wanted) throws SQLException {
        boolean changed = false;
        TreeSet<String> current = GroupStore.groupsOfUser(c, userId);
        for (String group : current) {
            if (!wanted.contains(group)) {
                changed |= GroupStore.removeUser(c, group, userId);
            }
        }
        for (String group : wanted) {
            if (!current.contains(group)) {
                changed |= GroupStore.addUser(c, group, userId);
            }
        }
        return changed;
    }

    private static boolean syncParents(Connection c, String group, Set<String> wanted) throws SQLException {
        boolean changed = false;
        TreeSet<String> current = GroupStore.parentGroups(c, group);
        for (String parent : current) {
            if (!wanted.contains(parent)) {
                changed |= GroupStore.removeChild(c, parent, group);
            }
        }
        for (String parent : wanted) {
            if (!current.contains(parent)) {
                changed |= GroupStore.addChild(c, parent, group);
            }
        }
        return changed;
    }

    /** Deletes what the file once created but no longer names; CLI-made users and groups stay. */
    private static int prune(Connection c, ParsedConfig wanted, java.util.Collection<StoredUser> users,
                             java.util.Collection<Group> groups) throws SQLException {
        Set<String> usernames = wanted.users().stream().map(u -> UserStore.key(u.user().username()))
                .collect(Collectors.toSet());
        Set<String> groupNames = wanted.groups().stream().map(g -> g.group().name()).collect(Collectors.toSet());
        int deleted = 0;
        for (StoredUser user : users) {
            if (StoredUser.SOURCE_CONFIG.equals(user.source()) && !usernames.contains(UserStore.key(user.user().username()))) {
                UserStore.delete(c, user.user().id());
                deleted++;
            }
        }
        for (Group group : groups) {
            if (StoredUser.SOURCE_CONFIG.equals(group.source()) && !groupNames.contains(group.name())) {
                GroupStore.delete(c, group.name());
                deleted++;
            }
        }
        return deleted;
    }
}
