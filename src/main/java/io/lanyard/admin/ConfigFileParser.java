package io.lanyard.admin;

import io.lanyard.clients.AccessTokenTyp;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientCertificates;
import io.lanyard.clients.ClientSecrets;
import io.lanyard.clients.ClientValidator;
import io.lanyard.clients.MutualTls;
import io.lanyard.federation.TrustedIssuer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the declarative file (a Kubernetes ConfigMap can hold it) into validated clients, users,
 * groups and trusted issuers. Works on the YAML node tree, not on plain maps, so every error can name its line.
 */
@Singleton
public final class ConfigFileParser {
    private static final Set<String> TOP_LEVEL = Set.of("clients", "users", "groups", "tokenExchange", "trustedIssuers",
            "connectors");
    private static final Set<String> CLIENT_FIELDS = Set.of("id", "name", "grantTypes", "scopes", "defaultScopes",
            "audiences", "tokenLifetime", "tokenSigningAlg", "secretHash", "secretFromEnv", "redirectUris",
            "postLogoutRedirectUris", "public", "idTokenLifetime", "jwks", "jwksUri", "tokenEndpointAuthMethod",
            "tlsClientAuthSubjectDn", "tlsClientAuthSanDns", "tlsClientAuthSanUri", "tlsClientCertificate",
            "tlsClientCertificateThumbprint", "tlsClientCertificateBoundAccessTokens", "accessTokenTyp");

    /** Stands in for an unset secretFromEnv when only the file's shape is checked. */
    private static final String UNSET_SECRET = "not applied: the secret's variable was unset at the check";
    private final ClientValidator validator;
    private final UnaryOperator<String> environment;

    /** Secrets named by {@code secretFromEnv} come from this process's environment. */
    @Inject
    public ConfigFileParser(ClientValidator validator) {
        this(validator, System::getenv);
    }

    public ConfigFileParser(ClientValidator validator, UnaryOperator<String> environment) {
        this.validator = validator;
        this.environment = environment;
    }

    /** Reads and validates a file to be applied: every secret it names must be set. Touches no database. */
    public ParsedConfig parse(Path file) {
        return parse(file.toString(), read(file), true);
    }

    /**
     * Reads and validates a file's shape without needing its secrets: an unset {@code secretFromEnv} or
     * {@code passwordFromEnv} variable is a warning in the result, not an error.
     */
    public ParsedConfig check(Path file) {
        return parse(file.toString(), read(file), false);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, null, "cannot read the file: " + e.getMessage());
        }
    }

    public ParsedConfig parse(String file, String text) {
        return parse(file, text, true);
    }

    private ParsedConfig parse(String file, String text, boolean secretsRequired) {
        SecretsFromEnv secrets = new SecretsFromEnv(environment, secretsRequired);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new ConfigFileException(file, e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1,
                    null, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigFileException(file, 1, null, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new ParsedConfig(file, List.of(), List.of(), List.of());
        }
        Map<String, NodeTuple> top = mapping(file, root, null, TOP_LEVEL);
        List<Client> clients = clients(file, top, secrets);
        PeopleConfigParser people = new PeopleConfigParser(file, secrets);
        List<ParsedConfig.DeclaredGroup> groups = people.groups(top);
        List<TrustedIssuer> issuers = new TrustedIssuersConfigParser(file).issuers(top, clients);
        List<ParsedConfig.DeclaredUser> users = people.users(top, groups);
        List<ParsedConfig.DeclaredConnector> connectors = new ConnectorsConfigParser(file, secrets)
                .connectors(top);
        return new ParsedConfig(file, clients, users, groups, issuers,
                new ExchangePolicyParser(file).policies(top, clients), connectors, secrets.warnings());
    }

    private List<Client> clients(String file, Map<String, NodeTuple> top, SecretsFromEnv secrets) {
        NodeTuple clientsNode = top.get("clients");
        if (clientsNode == null) {
            return List.of();
        }
        if (!(clientsNode.getValueNode() instanceof SequenceNode list)) {
            throw error(file, clientsNode.getValueNode(), "clients", "must be a list of clients");
        }
        List<Client> clients = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            Client client = client(file, node, "clients[" + i + "]", secrets);
            Integer earlier = seen.putIfAbsent(client.clientId(), line(node));
            if (earlier != null) {
                throw error(file, node, "clients[" + i + "].id", "'" + client.clientId()
                        + "' is already defined on line " + earlier);
            }
            clients.add(client);
        }
        return clients;
    }

    private Client client(String file, Node node, String path, SecretsFromEnv secrets) {
        Map<String, NodeTuple> fields = mapping(file, node, path, CLIENT_FIELDS);
        if (!fields.containsKey("id")) {
            throw error(file, node, path + ".id", "is required");
        }
        String id = scalar(file, fields, "id", path);
        String secretHash = scalar(file, fields, "secretHash", path);
        String secretEnv = scalar(file, fields, "secretFromEnv", path);
        if (secretHash != null && secretEnv != null) {
            throw error(file, fields.get("secretFromEnv").getKeyNode(), path + ".secretFromEnv",
                    "give secretHash or secretFromEnv, not both");
        }
        String digest = secretHash;
        String secret = secretEnv == null ? null : secrets.read(secretEnv, () -> error(file,
                fields.get("secretFromEnv").getValueNode(), path + ".secretFromEnv",
                "environment variable " + secretEnv + " is not set"));
        if (secretEnv != null && secret == null) {
            // checked without its secret: any digest stands in, the file is not applied
            digest = ClientSecrets.digest(UNSET_SECRET);
        } else if (secretEnv != null) {
            if (secret.length() < 32) {
                throw error(file, fields.get("secretFromEnv").getValueNode(), path + ".secretFromEnv",
                        "the secret in " + secretEnv + " must be at least 32 characters of random text "
                                + "(it is stored as one SHA-256, which only a high-entropy secret makes safe)");
            }
            digest = ClientSecrets.digest(secret);
        }
        Duration lifetime = duration(file, fields, "tokenLifetime", path);
        String name = scalar(file, fields, "name", path);
        Client client = Client.builder(id)
                .name(name == null ? id : name)
                .secretDigest(digest)
                .grantTypes(list(file, fields, "grantTypes", path))
                .scopes(list(file, fields, "scopes", path))
                .defaultScopes(list(file, fields, "defaultScopes", path))
                .audiences(list(file, fields, "audiences", path))
                .tokenLifetime(lifetime)
                .tokenSigningAlg(scalar(file, fields, "tokenSigningAlg", path))
                .source(Client.SOURCE_CONFIG)
                .redirectUris(list(file, fields, "redirectUris", path))
                .postLogoutRedirectUris(list(file, fields, "postLogoutRedirectUris", path))
                .publicClient(bool(file, fields, "public", path))
                .idTokenLifetime(duration(file, fields, "idTokenLifetime", path))
                .jwks(jwks(file, fields, path))
                .jwksUri(scalar(file, fields, "jwksUri", path))
                .mutualTls(mutualTls(file, fields, node, path))
                .accessTokenTyp(accessTokenTyp(file, fields, path))
                .build();
        try {
            validator.validate(client);
        } catch (ClientValidator.InvalidClientException e) {
            String field = switch (e.field()) {
                case "secret" -> secretEnv != null ? "secretFromEnv" : "secretHash";
                case "tlsClientCertificate" -> fields.containsKey("tlsClientCertificateThumbprint")
                        ? "tlsClientCertificateThumbprint" : "tlsClientCertificate";
                default -> e.field();
            };
            NodeTuple at = fields.get(field);
            String message = e.getMessage().substring(e.field().length() + 2);
            throw error(file, at == null ? node : at.getValueNode(), path + "." + field, message);
        }
        return client;
    }

    /**
     * RFC 8705 section 2: {@code tokenEndpointAuthMethod} tls_client_auth with one
     * {@code tlsClientAuth*} name, or self_signed_tls_client_auth with {@code tlsClientCertificate}
     * (PEM) or {@code tlsClientCertificateThumbprint} (x5t#S256). Other methods follow from the
     * other fields (a secret, jwks), so only these two are named here.
     */
    private static MutualTls mutualTls(String file, Map<String, NodeTuple> fields, Node node, String path) {
        String method = scalar(file, fields, "tokenEndpointAuthMethod", path);
        boolean bound = bool(file, fields, "tlsClientCertificateBoundAccessTokens", path);
        if (method == null) {
            for (String field : List.of("tlsClientAuthSubjectDn", "tlsClientAuthSanDns", "tlsClientAuthSanUri",
                    "tlsClientCertificate", "tlsClientCertificateThumbprint", "tlsClientCertificateBoundAccessTokens")) {
                if (fields.containsKey(field)) {
                    throw error(file, fields.get(field).getKeyNode(), path + "." + field,
                            "needs tokenEndpointAuthMethod: tls_client_auth or self_signed_tls_client_auth");
                }
            }
            return null;
        }
        if (!MutualTls.METHODS.contains(method)) {
            throw error(file, fields.get("tokenEndpointAuthMethod").getValueNode(), path + ".tokenEndpointAuthMethod",
                    "must be one of " + MutualTls.METHODS + " (secrets and private_key_jwt follow from "
                            + "secretHash, secretFromEnv, jwks and jwksUri)");
        }
        String pem = scalar(file, fields, "tlsClientCertificate", path);
        String thumbprint = scalar(file, fields, "tlsClientCertificateThumbprint", path);
        if (pem != null && thumbprint != null) {
            throw error(file, fields.get("tlsClientCertificateThumbprint").getKeyNode(),
                    path + ".tlsClientCertificateThumbprint", "give tlsClientCertificate or its thumbprint, not both");
        }
        if (pem != null) {
            try {
                thumbprint = ClientCertificates.thumbprint(pem);
            } catch (IllegalArgumentException e) {
                throw error(file, fields.get("tlsClientCertificate").getValueNode(), path + ".tlsClientCertificate",
                        e.getMessage());
            }
        }
        return new MutualTls(method, scalar(file, fields, "tlsClientAuthSubjectDn", path),
                scalar(file, fields, "tlsClientAuthSanDns", path), scalar(file, fields, "tlsClientAuthSanUri", path),
                thumbprint, bound);
    }

    /** {@code accessTokenTyp}: at+jwt (the default) or none; never JWT, the id_token's. */
    private static AccessTokenTyp accessTokenTyp(String file, Map<String, NodeTuple> fields, String path) {
        String text = scalar(file, fields, "accessTokenTyp", path);
        if (text == null) {
            return AccessTokenTyp.AT_JWT;
        }
        AccessTokenTyp typ = AccessTokenTyp.of(text);
        if (typ == null) {
            throw error(file, fields.get("accessTokenTyp").getValueNode(), path + ".accessTokenTyp",
                    AccessTokenTyp.refusal(text));
        }
        return typ;
    }

    private static Duration duration(String file, Map<String, NodeTuple> fields, String name, String path) {
        String text = scalar(file, fields, name, path);
        if (text == null) {
            return null;
        }
        Duration duration = Durations.parse(text);
        if (duration == null) {
            throw error(file, fields.get(name).getValueNode(), path + "." + name,
                    "must be a duration such as 600s, 10m or 1h");
        }
        return duration;
    }

    /** {@code jwks}: a JWK set as a YAML mapping, or as a string of JSON. */
    private static String jwks(String file, Map<String, NodeTuple> fields, String path) {
        NodeTuple tuple = fields.get("jwks");
        if (tuple == null) {
            return null;
        }
        String json = YamlJson.toJson(tuple.getValueNode());
        if (json == null || json.isEmpty()) {
            throw error(file, tuple.getValueNode(), path + ".jwks", "must be a JWK set: a mapping with 'keys', or its JSON");
        }
        return json;
    }

    static boolean bool(String file, Map<String, NodeTuple> fields, String name, String path) {
        String text = scalar(file, fields, name, path);
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw error(file, fields.get(name).getValueNode(), path + "." + name, "must be true or false");
    }

    static Map<String, NodeTuple> mapping(String file, Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw error(file, node, path, "must be a mapping");
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String where = path == null ? key : path + "." + key;
            if (key == null || !allowed.contains(key)) {
                throw error(file, tuple.getKeyNode(), where, "unknown field (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            }
            if (!seen.add(key)) {
                throw error(file, tuple.getKeyNode(), where, "appears twice");
            }
            fields.put(key, tuple);
        }
        return fields;
    }

    /** A field that must be there, as a non-empty string; its absence is an error at the mapping's line. */
    static String required(String file, Map<String, NodeTuple> fields, Node node, String name, String path) {
        if (!fields.containsKey(name)) {
            throw error(file, node, path + "." + name, "is required");
        }
        return scalar(file, fields, name, path);
    }

    static String scalar(String file, Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw error(file, tuple.getValueNode(), path + "." + name, "must be a non-empty string");
        }
        return scalar.getValue().trim();
    }

    static Set<String> list(String file, Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return Set.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            throw error(file, tuple.getValueNode(), path + "." + name, "must be a list");
        }
        Set<String> values = new LinkedHashSet<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                throw error(file, item, path + "." + name, "items must be non-empty strings");
            }
            values.add(scalar.getValue().trim());
        }
        return values;
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static ConfigFileException error(String file, Node node, String field, String message) {
        return new ConfigFileException(file, line(node), field, message);
    }
}
