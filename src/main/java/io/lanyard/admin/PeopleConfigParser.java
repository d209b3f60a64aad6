package io.lanyard.admin;

import io.lanyard.users.Group;
import io.lanyard.users.InvalidEntryException;
import io.lanyard.users.PasswordHasher;
import io.lanyard.users.StoredUser;
import io.lanyard.users.User;
import io.lanyard.users.UserRules;
import io.lanyard.users.UserStore;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code users:} and {@code groups:} sections of the declarative file. Membership is declared
 * upwards: a user's or a group's {@code groups} lists the groups it is a direct member of, and
 * every group named there must be defined in the same file, so the whole file can be checked
 * (cycles too) without a database.
 */
final class PeopleConfigParser {
    private static final Set<String> USER_FIELDS = Set.of("username", "email", "emailVerified", "displayName",
            "disabled", "passwordHash", "passwordFromEnv", "groups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "description", "groups", "upstreamMembers");

    private final String file;
    private final SecretsFromEnv secrets;

    PeopleConfigParser(String file, SecretsFromEnv secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    List<ParsedConfig.DeclaredGroup> groups(Map<String, NodeTuple> top) {
        List<ParsedConfig.DeclaredGroup> groups = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<Map<String, Node>> parents = new ArrayList<>();
        SequenceNode list = section(top, "groups");
        for (int i = 0; list != null && i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "groups[" + i + "]";
            Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, GROUP_FIELDS);
            String name = required(fields, node, "name", path);
            Group group = new Group(name, ConfigFileParser.scalar(file, fields, "description", path),
                    StoredUser.SOURCE_CONFIG);
            check(fields, node, path, () -> UserRules.validate(group));
            Integer earlier = seen.putIfAbsent(name, line(node));
            if (earlier != null) {
                throw error(fields.get("name").getValueNode(), path + ".name",
                        "'" + name + "' is already defined on line " + earlier);
            }
            Map<String, Node> memberOf = names(fields, "groups", path);
            parents.add(memberOf);
            Set<String> upstream = ConfigFileParser.list(file, fields, "upstreamMembers", path);
            for (String member : upstream) {
                if (member.length() > 512) {
                    throw error(fields.get("upstreamMembers").getValueNode(), path + ".upstreamMembers",
                            "names are at most 512 characters");
                }
            }
            groups.add(new ParsedConfig.DeclaredGroup(group, memberOf.keySet(), upstream, line(node)));
        }
        for (int i = 0; i < groups.size(); i++) {
            for (Map.Entry<String, Node> parent : parents.get(i).entrySet()) {
                requireDefined(seen, parent.getKey(), parent.getValue(), "groups[" + i + "].groups");
                if (parent.getKey().equals(groups.get(i).group().name())) {
                    throw error(parent.getValue(), "groups[" + i + "].groups", "a group cannot be a member of itself");
                }
            }
        }
        refuseCycles(groups, parents);
        return groups;
    }

    List<ParsedConfig.DeclaredUser> users(Map<String, NodeTuple> top, List<ParsedConfig.DeclaredGroup> groups) {
        Map<String, Integer> defined = new HashMap<>();
        groups.forEach(g -> defined.put(g.group().name(), g.line()));
        List<ParsedConfig.DeclaredUser> users = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> seenEmails = new HashMap<>();
        SequenceNode list = section(top, "users");
        for (int i = 0; list != null && i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "users[" + i + "]";
            Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, USER_FIELDS);
            String username = required(fields, node, "username", path);
            User user = new User(null, username, ConfigFileParser.scalar(file, fields, "email", path),
                    bool(fields, "emailVerified", path), ConfigFileParser.scalar(file, fields, "displayName", path),
                    bool(fields, "disabled", path));
            check(fields, node, path, () -> UserRules.validate(user));
            String emailKey = UserStore.verifiedEmailKey(user);
            if (emailKey != null) {
                Integer other = seenEmails.putIfAbsent(emailKey, line(node));
                if (other != null) {
                    throw error(fields.get("email").getValueNode(), path + ".email", "'" + user.email()
                            + "' is already the verified email of the user on line " + other
                            + " (a verified email can be a Kubernetes username, so it must be unique)");
                }
            }
            Integer earlier = seen.putIfAbsent(UserStore.key(username), line(node));
            if (earlier != null) {
                throw error(fields.get("username").getValueNode(), path + ".username",
                        "'" + username + "' is already defined on line " + earlier + " (usernames ignore case)");
            }
            String hash = ConfigFileParser.scalar(file, fields, "passwordHash", path);
            String env = ConfigFileParser.scalar(file, fields, "passwordFromEnv", path);
            if (hash != null && env != null) {
                throw error(fields.get("passwordFromEnv").getKeyNode(), path + ".passwordFromEnv",
                        "give passwordHash or passwordFromEnv, not both");
            }
            if (hash != null && PasswordHasher.problemWith(hash) != null) {
                throw error(fields.get("passwordHash").getValueNode(), path + ".passwordHash",
                        PasswordHasher.problemWith(hash) + " (make one with: lanyard users hash-password)");
            }
            String password = env == null ? null : password(fields, env, path);
            Map<String, Node> memberOf = names(fields, "groups", path);
            memberOf.forEach((group, at) -> requireDefined(defined, group, at, path + ".groups"));
            users.add(new ParsedConfig.DeclaredUser(user, hash, password, memberOf.keySet(), line(node)));
        }
        return users;
    }

    private String password(Map<String, NodeTuple> fields, String env, String path) {
        Node at = fields.get("passwordFromEnv").getValueNode();
        String password = secrets.read(env, () -> error(at, path + ".passwordFromEnv",
                "environment variable " + env + " is not set"));
        if (password == null) {
            return null;
        }
        try {
            UserRules.validatePassword("passwordFromEnv", password);
        } catch (InvalidEntryException e) {
            throw error(at, path + ".passwordFromEnv", "the value of " + env + ": " + e.reason());
        }
        return password;
    }

    /** Group nesting in the file must not loop: the walk follows each group's declared parents. */
    private void refuseCycles(List<ParsedConfig.DeclaredGroup> groups, List<Map<String, Node>> parents) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            index.put(groups.get(i).group().name(), i);
        }
        int[] state = new int[groups.size()]; // 0 unseen, 1 on the current path, 2 done
        for (int i = 0; i < groups.size(); i++) {
            List<String> path = new ArrayList<>();
            visit(i, groups, parents, index, state, path);
        }
    }

    private void visit(int i, List<ParsedConfig.DeclaredGroup> groups, List<Map<String, Node>> parents,
                       Map<String, Integer> index, int[] state, List<String> path) {
        if (state[i] == 2) {
            return;
        }
        path.add(groups.get(i).group().name());
        state[i] = 1;
        for (Map.Entry<String, Node> parent : parents.get(i).entrySet()) {
            int p = index.get(parent.getKey());
            if (state[p] == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(parent.getKey()), path.size()));
                cycle.add(parent.getKey());
                throw error(parent.getValue(), "groups[" + i + "].groups", "'" + parent.getKey()
                        + "' makes a membership cycle (" + String.join(" -> ", cycle) + ")");
            }
            visit(p, groups, parents, index, state, path);
        }
        state[i] = 2;
        path.remove(path.size() - 1);
    }

    private SequenceNode section(Map<String, NodeTuple> top, String name) {
        NodeTuple tuple = top.get(name);
        if (tuple == null) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof SequenceNode list)) {
            throw error(tuple.getValueNode(), name, "must be a list of " + name);
        }
        return list;
    }

    private String required(Map<String, NodeTuple> fields, Node node, String name, String path) {
        return ConfigFileParser.required(file, fields, node, name, path);
    }

    private boolean bool(Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return false;
        }
        if (tuple.getValueNode() instanceof ScalarNode s && (s.getValue().equals("true") || s.getValue().equals("false"))) {
            return Boolean.parseBoolean(s.getValue());
        }
        throw error(tuple.getValueNode(), path + "." + name, "must be true or false");
    }

    /** A list of names, each with its node so an error can name its line. */
    private Map<String, Node> names(Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        Map<String, Node> names = new LinkedHashMap<>();
        if (tuple == null) {
            return names;
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            throw error(tuple.getValueNode(), path + "." + name, "must be a list");
        }
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                throw error(item, path + "." + name, "items must be non-empty strings");
            }
            names.putIfAbsent(scalar.getValue().trim(), item);
        }
        return names;
    }

    private void requireDefined(Map<String, Integer> defined, String group, Node at, String field) {
        if (!defined.containsKey(group)) {
            throw error(at, field, "'" + group + "' is not defined under groups: in this file");
        }
    }

    private void check(Map<String, NodeTuple> fields, Node node, String path, Runnable validation) {
        try {
            validation.run();
        } catch (InvalidEntryException e) {
            NodeTuple at = fields.get(e.field());
            throw error(at == null ? node : at.getValueNode(), path + "." + e.field(), e.reason());
        }
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private ConfigFileException error(Node node, String field, String message) {
        return new ConfigFileException(file, line(node), field, message);
    }
}
