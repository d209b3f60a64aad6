package io.lanyard.admin;

import io.lanyard.clients.Client;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyRules.InvalidPolicyException;
import io.lanyard.exchange.ExchangePolicyRules;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code tokenExchange:} section: one policy per client the same file declares. The rules
 * are {@link ExchangePolicyRules}, shared with the CLI; this class adds what only a file has:
 * the client must be declared here, once, and every error names its line.
 */
final class ExchangePolicyParser {
    private static final Set<String> FIELDS = Set.of("client", "audiences", "scopes", "impersonation", "subjectIssuers",
            "mayOutliveSubject");

    private final String file;

    ExchangePolicyParser(String file) {
        this.file = file;
    }

    List<ExchangePolicy> policies(Map<String, NodeTuple> top, List<Client> clients) {
        NodeTuple section = top.get("tokenExchange");
        if (section == null) {
            return List.of();
        }
        if (!(section.getValueNode() instanceof SequenceNode list)) {
            throw ConfigFileParser.error(file, section.getValueNode(), "tokenExchange", "must be a list of policies");
        }
        Map<String, Client> declared = new HashMap<>();
        clients.forEach(c -> declared.put(c.clientId(), c));
        Map<String, Integer> seen = new HashMap<>();
        List<ExchangePolicy> policies = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "tokenExchange[" + i + "]";
            Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, FIELDS);
            String clientId = ConfigFileParser.scalar(file, fields, "client", path);
            if (clientId == null) {
                throw ConfigFileParser.error(file, node, path + ".client", "is required");
            }
            Node at = fields.get("client").getValueNode();
            Client client = declared.get(clientId);
            if (client == null) {
                throw ConfigFileParser.error(file, at, path + ".client", "'" + clientId
                        + "' is not a client of this file");
            }
            checked(fields, node, path, () -> {
                ExchangePolicyRules.client(client);
                return null;
            });
            Integer earlier = seen.putIfAbsent(clientId, ConfigFileParser.line(node));
            if (earlier != null) {
                throw ConfigFileParser.error(file, at, path + ".client", "'" + clientId + "' already has a policy on line "
                        + earlier);
            }
            Set<String> audiences = ConfigFileParser.list(file, fields, "audiences", path);
            Set<String> scopes = ConfigFileParser.list(file, fields, "scopes", path);
            Set<String> issuers = checked(fields, node, path, () -> {
                ExchangePolicyRules.audiences(audiences);
                ExchangePolicyRules.scopes(scopes);
                return ExchangePolicyRules.subjectIssuers(ConfigFileParser.list(file, fields, "subjectIssuers", path));
            });
            policies.add(new ExchangePolicy(clientId, audiences, scopes,
                    ConfigFileParser.bool(file, fields, "impersonation", path), issuers,
                    ConfigFileParser.bool(file, fields, "mayOutliveSubject", path), Client.SOURCE_CONFIG));
        }
        return policies;
    }

    /** Runs shared rules, pointing a broken one at its field's line (the policy's, when the field is missing). */
    private <T> T checked(Map<String, NodeTuple> fields, Node policy, String path, Supplier<T> rules) {
        try {
            return rules.get();
        } catch (InvalidPolicyException e) {
            NodeTuple field = fields.get(e.field());
            throw ConfigFileParser.error(file, field == null ? policy : field.getValueNode(), path + "." + e.field(),
                    e.getMessage());
        }
    }
}
