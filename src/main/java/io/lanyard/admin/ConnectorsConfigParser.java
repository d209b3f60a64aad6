package io.lanyard.admin;

import io.lanyard.users.ConnectorSettings;
import io.lanyard.users.ldap.LdapConfig;
import io.lanyard.users.oidc.OidcConfig;
import io.micronaut.core.annotation.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code connectors:} section: upstream directories people log in with. Each entry has Dex's
 * shape ({@code type}, {@code id}, {@code name}, {@code config}) and, for {@code type: ldap}, Dex's
 * field names and meanings inside {@code config} for {@code type: ldap} and {@code type: oidc}, so a
 * Dex block carries over as it is; Lanyard's own
 * settings ({@code groupsPrefix}, {@code groupsFilter}, {@code timeout}) sit beside {@code config}.
 * Values may name environment variables as Dex's do ({@code $VAR}, {@code ${VAR}}); a variable that is
 * unset stops the start. Every field Lanyard does not support is refused with its line, never ignored.
 */
final class ConnectorsConfigParser {
    private static final Set<String> ENTRY_FIELDS = Set.of("type", "id", "name", "config", "groupsPrefix",
            "groupsFilter", "timeout");
    private static final Set<String> LDAP_FIELDS = Set.of("host", "insecureNoSSL", "insecureSkipVerify", "startTLS",
            "rootCA", "rootCAData", "bindDN", "bindPW", "usernamePrompt", "userSearch", "groupSearch");
    private static final Set<String> USER_SEARCH_FIELDS = Set.of("baseDN", "filter", "username", "scope", "idAttr",
            "emailAttr", "nameAttr", "preferredUsernameAttr", "emailSuffix");
    private static final Set<String> GROUP_SEARCH_FIELDS = Set.of("baseDN", "filter", "scope", "userMatchers",
            "userAttr", "groupAttr", "recursionGroupAttr", "nameAttr");
    private static final Set<String> OIDC_FIELDS = Set.of("issuer", "clientID", "clientSecret", "redirectURI", "scopes",
            "userIDKey", "userNameKey", "insecureSkipEmailVerified", "insecureEnableGroups", "getUserInfo",
            "claimMapping", "overrideClaimMapping", "promptType", "basicAuthUnsupported", "rootCAs",
            "insecureSkipVerify", "allowedGroups", "pkceChallenge");
    private static final Set<String> CLAIM_MAPPING_FIELDS = Set.of("preferred_username", "email", "groups");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
    private static final Set<String> MATCHER_FIELDS = Set.of("userAttr", "groupAttr", "recursionGroupAttr");
    /** Ends up in every federated user's {@code sub}: short and plain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String file;
    private final SecretsFromEnv secrets;

    ConnectorsConfigParser(String file, SecretsFromEnv secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    List<ParsedConfig.DeclaredConnector> connectors(Map<String, NodeTuple> top) {
        NodeTuple section = top.get("connectors");
        if (section == null) {
            return List.of();
        }
        if (!(section.getValueNode() instanceof SequenceNode list)) {
            throw error(section.getValueNode(), "connectors", "must be a list of connectors");
        }
        List<ParsedConfig.DeclaredConnector> connectors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = "connectors[" + i + "]";
            ParsedConfig.DeclaredConnector connector = connector(node, path);
            Integer earlier = seen.putIfAbsent(connector.settings().id(), line(node));
            if (earlier != null) {
                throw error(node, path + ".id", "'" + connector.settings().id() + "' is already defined on line "
                        + earlier);
            }
            connectors.add(connector);
        }
        return connectors;
    }

    private ParsedConfig.DeclaredConnector connector(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, ENTRY_FIELDS);
        String type = required(fields, node, "type", path);
        String id = required(fields, node, "id", path);
        if ("local".equals(id)) {
            throw error(fields.get("id").getValueNode(), path + ".id", "'local' names Lanyard's own users in connector_id");
        }
        if (!ID.matcher(id).matches()) {
            throw error(fields.get("id").getValueNode(), path + ".id", "must be 1 to 64 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit");
        }
        String name = required(fields, node, "name", path);
        String prefix = ConfigFileParser.scalar(file, fields, "groupsPrefix", path);
        if (prefix != null && prefix.regionMatches(true, 0, "system:", 0, 7)) {
            throw error(fields.get("groupsPrefix").getValueNode(), path + ".groupsPrefix",
                    "must not start with system: (Kubernetes' own groups)");
        }
        Pattern filter = null;
        String filterText = ConfigFileParser.scalar(file, fields, "groupsFilter", path);
        if (filterText != null) {
            try {
                filter = Pattern.compile(filterText);
            } catch (PatternSyntaxException e) {
                throw error(fields.get("groupsFilter").getValueNode(), path + ".groupsFilter",
                        "is not a regular expression: " + e.getDescription());
            }
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = ConfigFileParser.scalar(file, fields, "timeout", path);
        if (timeoutText != null) {
            timeout = Durations.parse(timeoutText);
            if (timeout == null || timeout.toMillis() < 100 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw error(fields.get("timeout").getValueNode(), path + ".timeout",
                        "must be a duration between 100ms and 1m, such as 5s");
            }
        }
        if (!fields.containsKey("config")) {
            throw error(node, path + ".config", "is required");
        }
        Node config = fields.get("config").getValueNode();
        ConnectorSettings settings = new ConnectorSettings(id, name, prefix, filter);
        return switch (type) {
            case "ldap" -> new ParsedConfig.DeclaredConnector(settings, ldap(config, path + ".config", timeout), null,
                    line(node));
            case "oidc" -> new ParsedConfig.DeclaredConnector(settings, null, oidc(config, path + ".config", timeout),
                    line(node));
            default -> throw error(fields.get("type").getValueNode(), path + ".type", "'" + type
                    + "' is not a connector type Lanyard has (ldap, oidc)");
        };
    }

    private LdapConfig ldap(Node node, String path, Duration timeout) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, LDAP_FIELDS);
        String host = value(fields, node, "host", path, true);
        boolean plain = flag(fields, "insecureNoSSL", path);
        boolean skipVerify = flag(fields, "insecureSkipVerify", path);
        boolean startTls = flag(fields, "startTLS", path);
        if (plain && startTls) {
            throw error(fields.get("startTLS").getKeyNode(), path + ".startTLS", "cannot go with insecureNoSSL");
        }
        checkHost(host, fields.get("host").getValueNode(), path + ".host");
        String ca = rootCa(fields, path);
        String bindDN = value(fields, node, "bindDN", path, false);
        String bindPW = value(fields, node, "bindPW", path, false);
        if ((bindDN == null) != (bindPW == null) && !(bindPW == null && secretWasUnset(fields, "bindPW"))) {
            throw error(node, path + ".bindPW", "bindDN and bindPW go together (neither for an anonymous search)");
        }
        if (!fields.containsKey("userSearch")) {
            throw error(node, path + ".userSearch", "is required");
        }
        LdapConfig.UserSearch users = userSearch(fields.get("userSearch").getValueNode(), path + ".userSearch");
        LdapConfig.GroupSearch groups = fields.containsKey("groupSearch")
                ? groupSearch(fields.get("groupSearch").getValueNode(), path + ".groupSearch") : null;
        return new LdapConfig(host, plain, skipVerify, startTls, ca, bindDN, bindPW,
                value(fields, node, "usernamePrompt", path, false), users, groups, timeout);
    }

    /**
     * Dex's oidc connector. {@code redirectURI} must be Lanyard's {@code /callback} (checked against the
     * issuer at start) and may be left out; PKCE S256 is always used, so {@code pkceChallenge} may only
     * say S256.
     */
    private OidcConfig oidc(Node node, String path, Duration timeout) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, OIDC_FIELDS);
        String issuer = value(fields, node, "issuer", path, true);
        URI issuerUri = httpUrl(issuer, fields.get("issuer").getValueNode(), path + ".issuer");
        if (issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
            throw error(fields.get("issuer").getValueNode(), path + ".issuer", "must have no query or fragment");
        }
        String clientId = value(fields, node, "clientID", path, true);
        String clientSecret = value(fields, node, "clientSecret", path, true);
        String redirect = value(fields, node, "redirectURI", path, false);
        if (redirect != null) {
            httpUrl(redirect, fields.get("redirectURI").getValueNode(), path + ".redirectURI");
        }
        List<String> scopes = List.copyOf(ConfigFileParser.list(file, fields, "scopes", path));
        if (!fields.containsKey("scopes")) {
            scopes = List.of("profile", "email");
        }
        for (String scope : scopes) {
            if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                throw error(fields.get("scopes").getValueNode(), path + ".scopes", "'" + scope + "' is not a scope");
            }
        }
        String pkce = value(fields, node, "pkceChallenge", path, false);
        if (pkce != null && !pkce.equals("S256")) {
            throw error(fields.get("pkceChallenge").getValueNode(), path + ".pkceChallenge",
                    "Lanyard always uses S256 with an upstream; plain is not offered");
        }
        String prompt = "consent";
        if (fields.containsKey("promptType")) {
            Node at = fields.get("promptType").getValueNode();
            prompt = at instanceof ScalarNode s ? s.getValue().trim() : "?";
            List<String> values = List.of(prompt.split(" +"));
            if (!prompt.isEmpty() && !PROMPTS.containsAll(values)) {
                throw error(at, path + ".promptType", "must be empty or prompt values (none, login, consent, "
                        + "select_account)");
            }
            if (values.contains("none") && values.size() > 1) {
                throw error(at, path + ".promptType", "none goes with no other prompt value");
            }
        }
        Boolean basicUnsupported = fields.containsKey("basicAuthUnsupported")
                ? flag(fields, "basicAuthUnsupported", path) : null;
        boolean skipVerify = flag(fields, "insecureSkipVerify", path);
        List<String> rootCas = new ArrayList<>();
        for (String caFile : ConfigFileParser.list(file, fields, "rootCAs", path)) {
            rootCas.add(pemFile(caFile, fields.get("rootCAs").getValueNode(), path + ".rootCAs"));
        }
        if (skipVerify && !rootCas.isEmpty()) {
            throw error(fields.get("rootCAs").getKeyNode(), path + ".rootCAs", "cannot go with insecureSkipVerify");
        }
        OidcConfig.ClaimMapping mapping = OidcConfig.ClaimMapping.STANDARD;
        if (fields.containsKey("claimMapping")) {
            Node at = fields.get("claimMapping").getValueNode();
            Map<String, NodeTuple> claims = ConfigFileParser.mapping(file, at, path + ".claimMapping",
                    CLAIM_MAPPING_FIELDS);
            String claimPath = path + ".claimMapping";
            mapping = new OidcConfig.ClaimMapping(
                    orElse(ConfigFileParser.scalar(file, claims, "preferred_username", claimPath), "preferred_username"),
                    orElse(ConfigFileParser.scalar(file, claims, "email", claimPath), "email"),
                    orElse(ConfigFileParser.scalar(file, claims, "groups", claimPath), "groups"));
        }
        boolean groups = flag(fields, "insecureEnableGroups", path);
        List<String> allowed = List.copyOf(ConfigFileParser.list(file, fields, "allowedGroups", path));
        if (!allowed.isEmpty() && !groups) {
            throw error(fields.get("allowedGroups").getKeyNode(), path + ".allowedGroups",
                    "needs insecureEnableGroups: true (the groups are read from the upstream's claims)");
        }
        return new OidcConfig(issuer, clientId, clientSecret == null ? "" : clientSecret, redirect, scopes,
                orElse(value(fields, node, "userIDKey", path, false), "sub"),
                orElse(value(fields, node, "userNameKey", path, false), "name"),
                flag(fields, "insecureSkipEmailVerified", path), groups, flag(fields, "getUserInfo", path), mapping,
                flag(fields, "overrideClaimMapping", path), prompt, basicUnsupported, rootCas, skipVerify, allowed,
                timeout);
    }

    private URI httpUrl(String value, Node at, String path) {
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw error(at, path, "must be an absolute https (or http) URL");
    }

    private static String orElse(@Nullable String value, String otherwise) {
        return value != null ? value : otherwise;
    }

    /** A PEM file named in the declarative file, relative to the file's directory. */
    private String pemFile(String name, Node at, String path) {
        Path parent = Path.of(this.file).toAbsolutePath().getParent();
        Path resolved = parent == null ? Path.of(name) : parent.resolve(name);
        String pem;
        try {
            pem = Files.readString(resolved, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw error(at, path, "cannot read " + resolved + ": " + e.getMessage());
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw error(at, path, resolved + " holds no PEM certificate");
        }
        return pem;
    }

    private LdapConfig.UserSearch userSearch(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, USER_SEARCH_FIELDS);
        String baseDN = value(fields, node, "baseDN", path, true);
        String filter = ldapFilter(fields, node, path);
        List<String> username = attributes(fields, node, "username", path);
        String idAttr = value(fields, node, "idAttr", path, false);
        String emailAttr = value(fields, node, "emailAttr", path, false);
        String emailSuffix = value(fields, node, "emailSuffix", path, false);
        String nameAttr = value(fields, node, "nameAttr", path, false);
        if (idAttr == null) {
            // Dex documents uid as the default but applies none, so every login fails; a refusal here is kinder
            throw error(node, path + ".idAttr", "is required (e.g. uid, or DN for the entry's DN)");
        }
        if (emailAttr == null && emailSuffix == null) {
            throw error(node, path + ".emailAttr", "is required unless emailSuffix is given (e.g. mail)");
        }
        if (emailSuffix != null && nameAttr == null) {
            throw error(node, path + ".nameAttr", "is required with emailSuffix: the email is nameAttr@emailSuffix");
        }
        return new LdapConfig.UserSearch(baseDN, filter, username, scope(fields, path), idAttr, emailAttr, nameAttr,
                value(fields, node, "preferredUsernameAttr", path, false), emailSuffix);
    }

    private LdapConfig.GroupSearch groupSearch(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, GROUP_SEARCH_FIELDS);
        String baseDN = value(fields, node, "baseDN", path, true);
        String nameAttr = value(fields, node, "nameAttr", path, true);
        List<LdapConfig.UserMatcher> matchers = new ArrayList<>();
        NodeTuple list = fields.get("userMatchers");
        if (list != null) {
            if (fields.containsKey("userAttr") || fields.containsKey("groupAttr")) {
                throw error(list.getKeyNode(), path + ".userMatchers", "give userMatchers or userAttr/groupAttr, not both");
            }
            if (!(list.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
                throw error(list.getValueNode(), path + ".userMatchers", "must be a non-empty list");
            }
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Node item = sequence.getValue().get(i);
                String at = path + ".userMatchers[" + i + "]";
                Map<String, NodeTuple> matcher = ConfigFileParser.mapping(file, item, at, MATCHER_FIELDS);
                matchers.add(new LdapConfig.UserMatcher(value(matcher, item, "userAttr", at, true),
                        value(matcher, item, "groupAttr", at, true), value(matcher, item, "recursionGroupAttr", at, false)));
            }
        } else {
            // Dex's older single-matcher form
            matchers.add(new LdapConfig.UserMatcher(value(fields, node, "userAttr", path, true),
                    value(fields, node, "groupAttr", path, true), value(fields, node, "recursionGroupAttr", path, false)));
        }
        return new LdapConfig.GroupSearch(baseDN, ldapFilter(fields, node, path), scope(fields, path), matchers, nameAttr);
    }

    private String ldapFilter(Map<String, NodeTuple> fields, Node node, String path) {
        String filter = value(fields, node, "filter", path, false);
        if (filter != null) {
            try {
                com.unboundid.ldap.sdk.Filter.create(filter);
            } catch (com.unboundid.ldap.sdk.LDAPException e) {
                throw error(fields.get("filter").getValueNode(), path + ".filter", "is not an LDAP filter (RFC 4515): "
                        + e.getExceptionMessage());
            }
        }
        return filter;
    }

    private LdapConfig.Scope scope(Map<String, NodeTuple> fields, String path) {
        String scope = ConfigFileParser.scalar(file, fields, "scope", path);
        if (scope == null || scope.equals("sub")) {
            return LdapConfig.Scope.SUB;
        }
        if (scope.equals("one")) {
            return LdapConfig.Scope.ONE;
        }
        throw error(fields.get("scope").getValueNode(), path + ".scope", "must be sub or one, not '" + scope + "'");
    }

    /** Dex takes a single attribute or a list: the typed name may match any of them. */
    private List<String> attributes(Map<String, NodeTuple> fields, Node node, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            throw error(node, path + "." + name, "is required (e.g. uid)");
        }
        if (tuple.getValueNode() instanceof SequenceNode) {
            List<String> values = List.copyOf(ConfigFileParser.list(file, fields, name, path));
            if (values.isEmpty()) {
                throw error(tuple.getValueNode(), path + "." + name, "must name at least one attribute");
            }
            return values;
        }
        return List.of(value(fields, node, name, path, true));
    }

    private String rootCa(Map<String, NodeTuple> fields, String path) {
        String file = value(fields, null, "rootCA", path, false);
        String data = value(fields, null, "rootCAData", path, false);
        if (file != null && data != null) {
            throw error(fields.get("rootCAData").getKeyNode(), path + ".rootCAData", "give rootCA or rootCAData, not both");
        }
        String pem;
        Node at = fields.containsKey("rootCA") ? fields.get("rootCA").getValueNode()
                : fields.containsKey("rootCAData") ? fields.get("rootCAData").getValueNode() : null;
        if (file != null) {
            Path parent = Path.of(this.file).toAbsolutePath().getParent();
            Path resolved = parent == null ? Path.of(file) : parent.resolve(file);
            try {
                pem = Files.readString(resolved, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw error(at, path + ".rootCA", "cannot read " + resolved + ": " + e.getMessage());
            }
        } else if (data != null) {
            try {
                // Dex's []byte field: base64 of the PEM in YAML
                pem = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                throw error(at, path + ".rootCAData", "must be the base64 of a PEM certificate");
            }
        } else {
            return null;
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw error(at, path + (file != null ? ".rootCA" : ".rootCAData"), "holds no PEM certificate");
        }
        return pem;
    }

    private void checkHost(String host, Node at, String path) {
        int colon = host.lastIndexOf(':');
        if (host.contains("/") || host.isBlank()) {
            throw error(at, path, "must be host or host:port, not a URL");
        }
        if (colon > 0 && host.indexOf(']') < colon) {
            String port = host.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw error(at, path, "'" + port + "' is not a port");
            }
        }
    }

    private boolean flag(Map<String, NodeTuple> fields, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return false;
        }
        String text = tuple.getValueNode() instanceof ScalarNode s ? s.getValue().trim() : "";
        if (!text.equals("true") && !text.equals("false")) {
            throw error(tuple.getValueNode(), path + "." + name, "must be true or false");
        }
        return text.equals("true");
    }

    /** A string, with Dex's {@code $VAR} and {@code ${VAR}} read from the environment. */
    private @Nullable String value(Map<String, NodeTuple> fields, @Nullable Node node, String name, String path,
                                   boolean required) {
        if (!fields.containsKey(name)) {
            if (required) {
                throw error(node, path + "." + name, "is required");
            }
            return null;
        }
        String raw = ConfigFileParser.scalar(file, fields, name, path);
        Node at = fields.get(name).getValueNode();
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder expanded = new StringBuilder();
        boolean unset = false;
        while (m.find()) {
            String variable = m.group(1) != null ? m.group(1) : m.group(2);
            String value = secrets.read(variable, () -> error(at, path + "." + name, "environment variable "
                    + variable + " is not set"));
            unset |= value == null;
            m.appendReplacement(expanded, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(expanded);
        return unset ? null : expanded.toString();
    }

    /** True when {@code name} named an environment variable that a shape-only check could not read. */
    private boolean secretWasUnset(Map<String, NodeTuple> fields, String name) {
        return fields.containsKey(name) && fields.get(name).getValueNode() instanceof ScalarNode s
                && s.getValue().contains("$");
    }

    private String required(Map<String, NodeTuple> fields, Node node, String name, String path) {
        return ConfigFileParser.required(file, fields, node, name, path);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private ConfigFileException error(@Nullable Node node, String field, String message) {
        return new ConfigFileException(file, node == null ? 1 : line(node), field, message);
    }
}
