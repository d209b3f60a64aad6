package io.lanyard.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Group nesting as an in-memory graph, loaded with one query. Walked here rather than with a
 * recursive CTE because H2 does not stop a {@code UNION} recursion on a cycle, and the graph of
 * groups is small next to the users in it. Every walk keeps a visited set, so even a cycle that
 * slipped past the write checks ends.
 */
final class GroupGraph {
    /** child group -> the groups it is a direct member of */
    private final Map<String, Set<String>> parents;

    GroupGraph(Map<String, Set<String>> parents) {
        this.parents = parents;
    }

    static GroupGraph load(Connection c) throws SQLException {
        Map<String, Set<String>> parents = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT child_group, parent_group FROM nested_groups");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                parents.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        return new GroupGraph(parents);
    }

    /** The given groups and every group that contains one of them, however deep, sorted. */
    TreeSet<String> closure(Collection<String> groups) {
        TreeSet<String> seen = new TreeSet<>(groups);
        Deque<String> todo = new ArrayDeque<>(groups);
        while (!todo.isEmpty()) {
            for (String parent : parents.getOrDefault(todo.pop(), Set.of())) {
                if (seen.add(parent)) {
                    todo.push(parent);
                }
            }
        }
        return seen;
    }

    /**
     * If making {@code child} a member of {@code parent} would close a cycle, the chain that
     * already leads from {@code parent} up to {@code child}.
     */
    Optional<List<String>> cycleIfAdded(String parent, String child) {
        if (parent.equals(child)) {
            return Optional.of(List.of(child));
        }
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(parent));
        cameFrom.put(parent, null);
        while (!todo.isEmpty()) {
            String group = todo.removeFirst();
            if (group.equals(child)) {
                List<String> chain = new ArrayList<>();
                for (String g = child; g != null; g = cameFrom.get(g)) {
                    chain.add(g);
                }
                Collections.reverse(chain);
                return Optional.of(chain);
            }
            for (String next : new TreeSet<>(parents.getOrDefault(group, Set.of()))) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, group);
                    todo.addLast(next);
                }
            }
        }
        return Optional.empty();
    }

    /** Some cycle in the whole graph (as a chain of groups, each a member of the next), if there is one. */
    Optional<List<String>> anyCycle() {
        for (String child : new TreeSet<>(parents.keySet())) {
            for (String parent : new TreeSet<>(parents.get(child))) {
                Optional<List<String>> back = cycleIfAdded(parent, child);
                if (back.isPresent()) {
                    List<String> chain = new ArrayList<>(List.of(child));
                    chain.addAll(back.get());
                    return Optional.of(chain);
                }
            }
        }
        return Optional.empty();
    }

    /** "'b' is already a member of 'a' (b -> c -> a)": why child cannot join parent. */
    static String describe(String parent, String child, List<String> chain) {
        if (chain.size() == 1) {
            return "group '" + child + "' cannot be a member of itself";
        }
        return "group '" + child + "' cannot be a member of '" + parent + "': '" + parent
                + "' is already a member of '" + child + "' (" + String.join(" -> ", chain) + "), which would make a cycle";
    }
}
