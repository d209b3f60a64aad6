package io.lanyard.admin;

import io.lanyard.users.ConnectorSettings;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code connectors:} section: upstream directories and providers people log in with. Each entry
 * has Dex's shape ({@code type}, {@code id}, {@code name}, {@code config}), and {@code config} Dex's
 * field names and meanings for {@code type: ldap} ({@link LdapConfigParser}) and {@code type: oidc}
 * ({@link OidcConfigParser}), so a Dex block carries over as it is; Lanyard's own settings
 * ({@code groupsPrefix}, {@code groupsFilter}, {@code timeout}) sit beside {@code config}.
 * Values may name environment variables as Dex's do ({@code $VAR}, {@code ${VAR}}); a variable that is
 * unset stops the start. Every field Lanyard does not support is refused with its line, never ignored.
 */
final class ConnectorsConfigParser {
    private static final Set<String> ENTRY_FIELDS = Set.of("type", "id", "name", "config", "groupsPrefix",
            "groupsFilter", "timeout");
    /** Ends up in every federated user's {@code sub}: short and plain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String file;
    private final ConnectorValues values;

    ConnectorsConfigParser(String file, SecretsFromEnv secrets) {
        this.file = file;
        this.values = new ConnectorValues(file, secrets);
    }

    List<ParsedConfig.DeclaredConnector> connectors(Map<String, NodeTuple> top) {
        NodeTuple section = top.get("connectors");
        if (section == null) {
            return List.of();
        }
        if (!(section.getValueNode() instanceof SequenceNode list)) {
            throw values.error(section.getValueNode(), "connectors", "must be a list of connectors");
        }
        List<ParsedConfig.DeclaredConnector> connectors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "connectors[" + i + "]";
            ParsedConfig.DeclaredConnector connector = connector(node, path);
            Integer earlier = seen.putIfAbsent(connector.settings().id(), values.line(node));
            if (earlier != null) {
                throw values.error(node, path + ".id", "'" + connector.settings().id() + "' is already defined on line "
                        + earlier);
            }
            connectors.add(connector);
        }
        return connectors;
    }

    private ParsedConfig.DeclaredConnector connector(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, ENTRY_FIELDS);
        String type = values.required(fields, node, "type", path);
        String id = values.required(fields, node, "id", path);
        if ("local".equals(id)) {
            throw values.error(fields.get("id").getValueNode(), path + ".id", "'local' names Lanyard's own users in connector_id");
        }
        if (!ID.matcher(id).matches()) {
            throw values.error(fields.get("id").getValueNode(), path + ".id", "must be 1 to 64 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit");
        }
        String name = values.required(fields, node, "name", path);
        String prefix = ConfigFileParser.scalar(file, fields, "groupsPrefix", path);
        if (prefix != null && prefix.regionMatches(true, 0, "system:", 0, 7)) {
            throw values.error(fields.get("groupsPrefix").getValueNode(), path + ".groupsPrefix",
                    "must not start with system: (Kubernetes' own groups)");
        }
        Pattern filter = null;
        String filterText = ConfigFileParser.scalar(file, fields, "groupsFilter", path);
        if (filterText != null) {
            try {
                filter = Pattern.compile(filterText);
            } catch (PatternSyntaxException e) {
                throw values.error(fields.get("groupsFilter").getValueNode(), path + ".groupsFilter",
                        "is not a regular expression: " + e.getDescription());
            }
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = ConfigFileParser.scalar(file, fields, "timeout", path);
        if (timeoutText != null) {
            timeout = Durations.parse(timeoutText);
            if (timeout == null || timeout.toMillis() < 100 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw values.error(fields.get("timeout").getValueNode(), path + ".timeout",
                        "must be a duration between 100ms and 1m, such as 5s");
            }
        }
        if (!fields.containsKey("config")) {
            throw values.error(node, path + ".config", "is required");
        }
        Node config = fields.get("config").getValueNode();
        ConnectorSettings settings = new ConnectorSettings(id, name, prefix, filter);
        return switch (type) {
            case "ldap" -> new ParsedConfig.DeclaredConnector(settings, new LdapConfigParser(file, values).parse(config, path + ".config", timeout), null,
                    values.line(node));
            case "oidc" -> new ParsedConfig.DeclaredConnector(settings, null, new OidcConfigParser(file, values).parse(config, path + ".config", timeout),
                    values.line(node));
            default -> throw values.error(fields.get("type").getValueNode(), path + ".type", "'" + type
                    + "' is not a connector type Lanyard has (ldap, oidc)");
        };
    }

}
