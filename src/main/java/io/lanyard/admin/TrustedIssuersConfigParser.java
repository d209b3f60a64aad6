package io.lanyard.admin;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import io.lanyard.clients.Client;
import io.lanyard.federation.TrustedIssuer;
import io.lanyard.federation.TrustedIssuerUrls;
import io.lanyard.oauth.GrantTypes;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code trustedIssuers:} section of the declarative file: external issuers (a cluster's
 * service-account issuer) whose tokens the JWT-bearer grant accepts, and which service accounts
 * act as which client.
 */
final class TrustedIssuersConfigParser {
    private static final Set<String> ISSUER_FIELDS = Set.of("issuer", "jwksUri", "jwksFile", "algorithms",
            "audience", "maxTokenAge", "serviceAccounts");
    private static final Set<String> RULE_FIELDS = Set.of("namespace", "serviceAccount", "client");
    /** Kubernetes names: a namespace is a DNS label, a service account a DNS subdomain. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final String file;

    TrustedIssuersConfigParser(String file) {
        this.file = file;
    }

    List<TrustedIssuer> issuers(Map<String, NodeTuple> top, List<Client> clients) {
        NodeTuple section = top.get("trustedIssuers");
        if (section == null) {
            return List.of();
        }
        if (!(section.getValueNode() instanceof SequenceNode list)) {
            throw error(section.getValueNode(), "trustedIssuers", "must be a list of issuers");
        }
        Map<String, Client> declared = new HashMap<>();
        clients.forEach(c -> declared.put(c.clientId(), c));
        List<TrustedIssuer> issuers = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "trustedIssuers[" + i + "]";
            TrustedIssuer issuer = issuer(node, path, declared);
            Integer earlier = seen.putIfAbsent(issuer.issuer(), line(node));
            if (earlier != null) {
                throw error(node, path + ".issuer", "'" + issuer.issuer() + "' is already trusted on line " + earlier);
            }
            issuers.add(issuer);
        }
        return issuers;
    }

    private TrustedIssuer issuer(Node node, String path, Map<String, Client> declared) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, ISSUER_FIELDS);
        String issuer = required(fields, node, "issuer", path);
        if (!TrustedIssuerUrls.fetchable(issuer) || URI.create(issuer).getRawQuery() != null) {
            throw error(fields.get("issuer").getValueNode(), path + ".issuer",
                    "must be an https URL without query or fragment (http only for a loopback address)");
        }
        String jwksUri = ConfigFileParser.scalar(file, fields, "jwksUri", path);
        String jwksFile = ConfigFileParser.scalar(file, fields, "jwksFile", path);
        TrustedIssuer.KeySource source = TrustedIssuer.KeySource.DISCOVERY;
        String location = null;
        if (jwksUri != null && jwksFile != null) {
            throw error(fields.get("jwksFile").getKeyNode(), path + ".jwksFile", "give jwksUri or jwksFile, not both");
        }
        if (jwksUri != null) {
            if (!TrustedIssuerUrls.fetchable(jwksUri)) {
                throw error(fields.get("jwksUri").getValueNode(), path + ".jwksUri",
                        "must be an https URL (http only for a loopback address)");
            }
            source = TrustedIssuer.KeySource.JWKS_URI;
            location = jwksUri;
        }
        if (jwksFile != null) {
            source = TrustedIssuer.KeySource.JWKS_FILE;
            location = checkedJwksFile(jwksFile, fields.get("jwksFile").getValueNode(), path + ".jwksFile");
        }
        Set<JWSAlgorithm> algorithms = algorithms(fields, path);
        String audience = required(fields, node, "audience", path);
        Duration maxAge = null;
        String maxAgeText = ConfigFileParser.scalar(file, fields, "maxTokenAge", path);
        if (maxAgeText != null) {
            maxAge = Durations.parse(maxAgeText);
            if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
                throw error(fields.get("maxTokenAge").getValueNode(), path + ".maxTokenAge",
                        "must be a duration such as 600s, 10m or 1h");
            }
        }
        return new TrustedIssuer(issuer, source, location, algorithms, audience, maxAge,
                rules(fields, node, path, declared));
    }

    /** Relative to the declarative file's directory, read now so a bad file stops the start. */
    private String checkedJwksFile(String name, Node at, String path) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        Path resolved = parent == null ? Path.of(name) : parent.resolve(name);
        JWKSet keys;
        try {
            keys = JWKSet.parse(Files.readString(resolved, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw error(at, path, "cannot read " + resolved + ": " + e.getMessage());
        } catch (java.text.ParseException e) {
            throw error(at, path, resolved + " is not a JWK set: " + e.getMessage());
        }
        if (keys.getKeys().stream().noneMatch(k -> k.getKeyType() == KeyType.RSA || k.getKeyType() == KeyType.EC)) {
            throw error(at, path, resolved + " holds no RSA or EC key");
        }
        return resolved.toString();
    }

    private Set<JWSAlgorithm> algorithms(Map<String, NodeTuple> fields, String path) {
        NodeTuple tuple = fields.get("algorithms");
        if (tuple == null) {
            return Set.of(JWSAlgorithm.RS256);
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            throw error(tuple.getValueNode(), path + ".algorithms", "must be a non-empty list");
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (Node item : sequence.getValue()) {
            String name = item instanceof ScalarNode s ? s.getValue().trim() : "";
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (!TrustedIssuer.ALLOWED_ALGORITHMS.contains(alg)) {
                throw error(item, path + ".algorithms", "'" + name + "' is not accepted: use asymmetric signature "
                        + "algorithms only (RS256, ES256, PS256, ...), never none or HS*");
            }
            algorithms.add(alg);
        }
        return algorithms;
    }

    private List<TrustedIssuer.ServiceAccountRule> rules(Map<String, NodeTuple> fields, Node node, String path,
                                                        Map<String, Client> declared) {
        NodeTuple tuple = fields.get("serviceAccounts");
        if (tuple == null) {
            throw error(node, path + ".serviceAccounts", "is required: which service accounts act as which client");
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            throw error(tuple.getValueNode(), path + ".serviceAccounts", "must be a non-empty list");
        }
        List<TrustedIssuer.ServiceAccountRule> rules = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String at = path + ".serviceAccounts[" + i + "]";
            Map<String, NodeTuple> rule = ConfigFileParser.mapping(file, item, at, RULE_FIELDS);
            String namespace = required(rule, item, "namespace", at);
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw error(rule.get("namespace").getValueNode(), at + ".namespace", "'" + namespace
                        + "' is not a Kubernetes namespace name");
            }
            String account = required(rule, item, "serviceAccount", at);
            if (!TrustedIssuer.ServiceAccountRule.ANY.equals(account) && !SERVICE_ACCOUNT.matcher(account).matches()) {
                throw error(rule.get("serviceAccount").getValueNode(), at + ".serviceAccount", "'" + account
                        + "' is not a Kubernetes service account name (or * for any)");
            }
            String client = required(rule, item, "client", at);
            Client known = declared.get(client);
            if (known != null && !known.allowsGrant(GrantTypes.JWT_BEARER)) {
                throw error(rule.get("client").getValueNode(), at + ".client", "client '" + client
                        + "' must list " + GrantTypes.JWT_BEARER + " in its grantTypes");
            }
            Integer earlier = seen.putIfAbsent(namespace + ":" + account, line(item));
            if (earlier != null) {
                throw error(item, at, namespace + "/" + account + " is already mapped on line " + earlier);
            }
            rules.add(new TrustedIssuer.ServiceAccountRule(namespace, account, client));
        }
        return rules;
    }

    private String required(Map<String, NodeTuple> fields, Node node, String name, String path) {
        return ConfigFileParser.required(file, fields, node, name, path);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private ConfigFileException error(Node node, String field, String message) {
        return new ConfigFileException(file, line(node), field, message);
    }
}
