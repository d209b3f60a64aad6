package io.lanyard.users;

import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Group administration, shared by the CLI and the demo user. */
@Singleton
public class GroupService {
    private final Database database;
    private final Clock clock;

    public GroupService(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A group with its direct members (users by username, groups by name) and the groups it is in. */
    public record Details(Group group, List<String> users, List<String> groups, List<String> memberOf) {
    }

    public List<Group> list() {
        return database.query(GroupStore::list);
    }

    public Optional<Group> find(String name) {
        return database.query(c -> GroupStore.find(c, name));
    }

    public Details details(String name) {
        return database.query(c -> {
            Group group = GroupStore.find(c, name).orElseThrow(() -> new NoSuchGroupException(name));
            return new Details(group, List.copyOf(GroupStore.usernamesIn(c, name)),
                    List.copyOf(GroupStore.childGroups(c, name)), List.copyOf(GroupStore.parentGroups(c, name)));
        });
    }

    public Group create(Group group) {
        UserRules.validate(group);
        try {
            database.inTransaction(c -> {
                if (GroupStore.find(c, group.name()).isPresent()) {
                    throw duplicate(group.name());
                }
                GroupStore.insert(c, group, clock.instant());
                return null;
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw duplicate(group.name());
            }
            throw e;
        }
        return group;
    }

    /** Deletes the group and every membership in it or of it; its members stay. */
    public void delete(String name) {
        if (!database.inTransaction(c -> GroupStore.delete(c, name))) {
            throw new NoSuchGroupException(name);
        }
    }

    /** One member named in an add or remove: a user (by username) or a group, and whether anything changed. */
    public record Membership(String member, boolean isGroup, boolean changed) {
    }

    /**
     * Adds users (by username) and groups as direct members, all or none: an unknown name or a
     * group that would make a cycle changes nothing.
     */
    public List<Membership> addMembers(String group, Collection<String> usernames, Collection<String> groups) {
        return database.inTransaction(c -> {
            GroupStore.lock(c);
            UserService.requireGroup(c, group);
            List<Membership> done = new ArrayList<>();
            for (String username : usernames) {
                done.add(new Membership(username, false, GroupStore.addUser(c, group, userId(c, username))));
            }
            for (String child : groups) {
                UserService.requireGroup(c, child);
                GroupGraph.load(c).cycleIfAdded(group, child).ifPresent(chain -> {
                    throw new InvalidEntryException("groups", GroupGraph.describe(group, child, chain));
                });
                done.add(new Membership(child, true, GroupStore.addChild(c, group, child)));
            }
            return done;
        });
    }

    /** Removes direct members, all or none: an unknown name changes nothing. */
    public List<Membership> removeMembers(String group, Collection<String> usernames, Collection<String> groups) {
        return database.inTransaction(c -> {
            UserService.requireGroup(c, group);
            List<Membership> done = new ArrayList<>();
            for (String username : usernames) {
                done.add(new Membership(username, false, GroupStore.removeUser(c, group, userId(c, username))));
            }
            for (String child : groups) {
                UserService.requireGroup(c, child);
                done.add(new Membership(child, true, GroupStore.removeChild(c, group, child)));
            }
            return done;
        });
    }

    /** False when the user already was a direct member. */
    public boolean addUser(String group, String username) {
        return addMembers(group, List.of(username), List.of()).get(0).changed();
    }

    /** False when the user was not a direct member. */
    public boolean removeUser(String group, String username) {
        return removeMembers(group, List.of(username), List.of()).get(0).changed();
    }

    /** Makes {@code child} a member of {@code parent}; refuses a cycle. False when it already was. */
    public boolean addGroup(String parent, String child) {
        return addMembers(parent, List.of(), List.of(child)).get(0).changed();
    }

    /** False when {@code child} was not a direct member of {@code parent}. */
    public boolean removeGroup(String parent, String child) {
        return removeMembers(parent, List.of(), List.of(child)).get(0).changed();
    }

    private static String userId(Connection c, String username) throws SQLException {
        return UserStore.findByUsername(c, username).orElseThrow(() -> new NoSuchUserException(username)).user().id();
    }

    private static InvalidEntryException duplicate(String name) {
        return new InvalidEntryException("name", "group '" + name + "' already exists");
    }
}
