package io.lanyard.admin;

import io.lanyard.clients.Client;
import io.lanyard.exchange.ExchangePolicy;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tokenExchange:} section: one policy per client the same file declares. Only a
 * confidential client may exchange, so the check is made here, where the line is known.
 */
final class ExchangePolicyParser {
    private static final Set<String> FIELDS = Set.of("client", "audiences", "scopes", "impersonation", "subjectIssuers");

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
            if (client.secretDigest() == null || client.publicClient()) {
                throw ConfigFileParser.error(file, at, path + ".client", "only a confidential client may exchange tokens");
            }
            Integer earlier = seen.putIfAbsent(clientId, ConfigFileParser.line(node));
            if (earlier != null) {
                throw ConfigFileParser.error(file, at, path + ".client", "'" + clientId + "' already has a policy on line "
                        + earlier);
            }
            Set<String> audiences = ConfigFileParser.list(file, fields, "audiences", path);
            if (audiences.isEmpty()) {
                throw ConfigFileParser.error(file, node, path + ".audiences", "name at least one audience");
            }
            Set<String> issuers = ConfigFileParser.list(file, fields, "subjectIssuers", path);
            for (String issuer : issuers) {
                if (!issuer.equals(ExchangePolicy.SELF) && !isUrl(issuer)) {
                    throw ConfigFileParser.error(file, fields.get("subjectIssuers").getValueNode(), path + ".subjectIssuers",
                            "'" + issuer + "' must be 'self' or an issuer URL");
                }
            }
            policies.add(new ExchangePolicy(clientId, audiences, ConfigFileParser.list(file, fields, "scopes", path),
                    ConfigFileParser.bool(file, fields, "impersonation", path),
                    issuers.isEmpty() ? Set.of(ExchangePolicy.SELF) : issuers, Client.SOURCE_CONFIG));
        }
        return policies;
    }

    private static boolean isUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }
}
