package io.lanyard.users;

import io.lanyard.storage.CacheVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** SQL for groups and memberships. Every write bumps the users cache version in the caller's transaction. */
public final class GroupStore {

    private GroupStore() {
    }

    /**
     * Serialises writers of the group graph (the cycle check reads the graph, then writes an
     * edge: two writers must not each add half of a cycle). Held until the transaction ends.
     */
    public static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM cache_versions WHERE name = ? FOR UPDATE")) {
            ps.setString(1, UserStore.CACHE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    public static List<Group> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, description, source FROM user_groups ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<Group> groups = new ArrayList<>();
            while (rs.next()) {
                groups.add(new Group(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return groups;
        }
    }

    public static Optional<Group> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, description, source FROM user_groups WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Group(rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    public static void insert(Connection c, Group group, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_groups (name, description, source, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, group.name());
            ps.setString(2, group.description());
            ps.setString(3, group.source());
            ps.setObject(4, now.atOffset(ZoneOffset.UTC));
            ps.setObject(5, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        CacheVersions.bump(c, UserStore.CACHE);
    }

    public static void update(Connection c, Group group, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE user_groups SET description = ?, source = ?, updated_at = ? WHERE name = ?")) {
            ps.setString(1, group.description());
            ps.setString(2, group.source());
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            ps.setString(4, group.name());
            ps.executeUpdate();
        }
        CacheVersions.bump(c, UserStore.CACHE);
    }

    /** Deletes a group and, by cascade, every membership in it or of it. */
    public static boolean delete(Connection c, String name) throws SQLException {
        return change(c, "DELETE FROM user_groups WHERE name = ?", name);
    }

    /** Names of the groups a user is a direct member of, sorted. */
    public static TreeSet<String> groupsOfUser(Connection c, String userId) throws SQLException {
        return strings(c, "SELECT group_name FROM group_members WHERE user_id = ?", userId);
    }

    /** The connectors' groups whose people are members of this group, sorted. */
    public static TreeSet<String> upstreamMembers(Connection c, String group) throws SQLException {
        return strings(c, "SELECT upstream_group FROM group_upstream_members WHERE group_name = ?", group);
    }

    /** Makes the group's upstream members exactly {@code wanted}; true when that changed anything. */
    public static boolean setUpstreamMembers(Connection c, String group, Set<String> wanted) throws SQLException {
        TreeSet<String> current = upstreamMembers(c, group);
        boolean changed = false;
        for (String member : current) {
            if (!wanted.contains(member)) {
                changed |= change(c, "DELETE FROM group_upstream_members WHERE group_name = ? AND upstream_group = ?",
                        group, member);
            }
        }
        for (String member : wanted) {
            if (!current.contains(member)) {
                changed |= change(c, "INSERT INTO group_upstream_members (group_name, upstream_group) VALUES (?, ?)",
                        group, member);
            }
        }
        return changed;
    }

    /** The Lanyard groups that name one of {@code upstream} (a person's connector groups) as a member. */
    public static TreeSet<String> groupsOfUpstream(Connection c, Collection<String> upstream) throws SQLException {
        TreeSet<String> groups = new TreeSet<>();
        for (String group : upstream) {
            groups.addAll(strings(c, "SELECT group_name FROM group_upstream_members WHERE upstream_group = ?", group));
        }
        return groups;
    }

    /** Usernames of a group's direct members, sorted. */
    public static TreeSet<String> usernamesIn(Connection c, String group) throws SQLException {
        return strings(c, "SELECT u.username FROM group_members m JOIN users u ON u.id = m.user_id "
                + "WHERE m.group_name = ?", group);
    }

    /** Groups that are direct members of this one, sorted. */
    public static TreeSet<String> childGroups(Connection c, String group) throws SQLException {
        return strings(c, "SELECT child_group FROM nested_groups WHERE parent_group = ?", group);
    }

    /** Groups this one is a direct member of, sorted. */
    public static TreeSet<String> parentGroups(Connection c, String group) throws SQLException {
        return strings(c, "SELECT parent_group FROM nested_groups WHERE child_group = ?", group);
    }

    /** False when the user already was a member. */
    public static boolean addUser(Connection c, String group, String userId) throws SQLException {
        if (groupsOfUser(c, userId).contains(group)) {
            return false;
        }
        return change(c, "INSERT INTO group_members (group_name, user_id) VALUES (?, ?)", group, userId);
    }

    public static boolean removeUser(Connection c, String group, String userId) throws SQLException {
        return change(c, "DELETE FROM group_members WHERE group_name = ? AND user_id = ?", group, userId);
    }

    /** False when child already was a member of parent. Callers hold {@link #lock} and checked for cycles. */
    public static boolean addChild(Connection c, String parent, String child) throws SQLException {
        if (parentGroups(c, child).contains(parent)) {
            return false;
        }
        return change(c, "INSERT INTO nested_groups (parent_group, child_group) VALUES (?, ?)", parent, child);
    }

    public static boolean removeChild(Connection c, String parent, String child) throws SQLException {
        return change(c, "DELETE FROM nested_groups WHERE parent_group = ? AND child_group = ?", parent, child);
    }

    /** Some membership cycle in the whole graph (each group a member of the next), if one exists. */
    public static Optional<List<String>> cycle(Connection c) throws SQLException {
        return GroupGraph.load(c).anyCycle();
    }

    private static boolean change(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            boolean changed = ps.executeUpdate() > 0;
            if (changed) {
                CacheVersions.bump(c, UserStore.CACHE);
            }
            return changed;
        }
    }

    private static TreeSet<String> strings(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                TreeSet<String> values = new TreeSet<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }
    }
}
