package io.lanyard.admin;

import io.lanyard.users.ldap.LdapConfig;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code config} of a {@code type: ldap} connector, with Dex's field names and meanings. */
final class LdapConfigParser {
    private static final Set<String> LDAP_FIELDS = Set.of("host", "insecureNoSSL", "insecureSkipVerify", "startTLS",
            "rootCA", "rootCAData", "bindDN", "bindPW", "usernamePrompt", "userSearch", "groupSearch");
    private static final Set<String> USER_SEARCH_FIELDS = Set.of("baseDN", "filter", "username", "scope", "idAttr",
            "emailAttr", "nameAttr", "preferredUsernameAttr", "emailSuffix");
    private static final Set<String> GROUP_SEARCH_FIELDS = Set.of("baseDN", "filter", "scope", "userMatchers",
            "userAttr", "groupAttr", "recursionGroupAttr", "nameAttr");
    private static final Set<String> MATCHER_FIELDS = Set.of("userAttr", "groupAttr", "recursionGroupAttr");

    private final String file;
    private final ConnectorValues values;

    LdapConfigParser(String file, ConnectorValues values) {
        this.file = file;
        this.values = values;
    }

    LdapConfig parse(Node node, String path, Duration timeout) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, LDAP_FIELDS);
        String host = values.value(fields, node, "host", path, true);
        boolean plain = values.flag(fields, "insecureNoSSL", path);
        boolean skipVerify = values.flag(fields, "insecureSkipVerify", path);
        boolean startTls = values.flag(fields, "startTLS", path);
        if (plain && startTls) {
            throw values.error(fields.get("startTLS").getKeyNode(), path + ".startTLS", "cannot go with insecureNoSSL");
        }
        checkHost(host, fields.get("host").getValueNode(), path + ".host");
        String ca = rootCa(fields, path);
        String bindDN = values.value(fields, node, "bindDN", path, false);
        String bindPW = values.value(fields, node, "bindPW", path, false);
        if ((bindDN == null) != (bindPW == null) && !(bindPW == null && values.secretWasUnset(fields, "bindPW"))) {
            throw values.error(node, path + ".bindPW", "bindDN and bindPW go together (neither for an anonymous search)");
        }
        if (!fields.containsKey("userSearch")) {
            throw values.error(node, path + ".userSearch", "is required");
        }
        LdapConfig.UserSearch users = userSearch(fields.get("userSearch").getValueNode(), path + ".userSearch");
        LdapConfig.GroupSearch groups = fields.containsKey("groupSearch")
                ? groupSearch(fields.get("groupSearch").getValueNode(), path + ".groupSearch") : null;
        return new LdapConfig(host, plain, skipVerify, startTls, ca, bindDN, bindPW,
                values.value(fields, node, "usernamePrompt", path, false), users, groups, timeout);
    }

    private LdapConfig.UserSearch userSearch(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, USER_SEARCH_FIELDS);
        String baseDN = values.value(fields, node, "baseDN", path, true);
        String filter = ldapFilter(fields, node, path);
        List<String> username = attributes(fields, node, "username", path);
        String idAttr = values.value(fields, node, "idAttr", path, false);
        String emailAttr = values.value(fields, node, "emailAttr", path, false);
        String emailSuffix = values.value(fields, node, "emailSuffix", path, false);
        String nameAttr = values.value(fields, node, "nameAttr", path, false);
        if (idAttr == null) {
            // Dex documents uid as the default but applies none, so every login fails; a refusal here is kinder
            throw values.error(node, path + ".idAttr", "is required (e.g. uid, or DN for the entry's DN)");
        }
        if (emailAttr == null && emailSuffix == null) {
            throw values.error(node, path + ".emailAttr", "is required unless emailSuffix is given (e.g. mail)");
        }
        if (emailSuffix != null && nameAttr == null) {
            throw values.error(node, path + ".nameAttr", "is required with emailSuffix: the email is nameAttr@emailSuffix");
        }
        return new LdapConfig.UserSearch(baseDN, filter, username, scope(fields, path), idAttr, emailAttr, nameAttr,
                values.value(fields, node, "preferredUsernameAttr", path, false), emailSuffix);
    }

    private LdapConfig.GroupSearch groupSearch(Node node, String path) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, GROUP_SEARCH_FIELDS);
        String baseDN = values.value(fields, node, "baseDN", path, true);
        String nameAttr = values.value(fields, node, "nameAttr", path, true);
        List<LdapConfig.UserMatcher> matchers = new ArrayList<>();
        NodeTuple list = fields.get("userMatchers");
        if (list != null) {
            if (fields.containsKey("userAttr") || fields.containsKey("groupAttr")) {
                throw values.error(list.getKeyNode(), path + ".userMatchers", "give userMatchers or userAttr/groupAttr, not both");
            }
            if (!(list.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
                throw values.error(list.getValueNode(), path + ".userMatchers", "must be a non-empty list");
            }
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Node item = sequence.getValue().get(i);
                String at = path + ".userMatchers[" + i + "]";
                Map<String, NodeTuple> matcher = ConfigFileParser.mapping(file, item, at, MATCHER_FIELDS);
                matchers.add(new LdapConfig.UserMatcher(values.value(matcher, item, "userAttr", at, true),
                        values.value(matcher, item, "groupAttr", at, true), values.value(matcher, item, "recursionGroupAttr", at, false)));
            }
        } else {
            // Dex's older single-matcher form
            matchers.add(new LdapConfig.UserMatcher(values.value(fields, node, "userAttr", path, true),
                    values.value(fields, node, "groupAttr", path, true), values.value(fields, node, "recursionGroupAttr", path, false)));
        }
        return new LdapConfig.GroupSearch(baseDN, ldapFilter(fields, node, path), scope(fields, path), matchers, nameAttr);
    }

    private String ldapFilter(Map<String, NodeTuple> fields, Node node, String path) {
        String filter = values.value(fields, node, "filter", path, false);
        if (filter != null) {
            try {
                com.unboundid.ldap.sdk.Filter.create(filter);
            } catch (com.unboundid.ldap.sdk.LDAPException e) {
                throw values.error(fields.get("filter").getValueNode(), path + ".filter", "is not an LDAP filter (RFC 4515): "
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
        throw values.error(fields.get("scope").getValueNode(), path + ".scope", "must be sub or one, not '" + scope + "'");
    }

    /** Dex takes a single attribute or a list: the typed name may match any of them. */
    private List<String> attributes(Map<String, NodeTuple> fields, Node node, String name, String path) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            throw values.error(node, path + "." + name, "is required (e.g. uid)");
        }
        if (tuple.getValueNode() instanceof SequenceNode) {
            List<String> attributes = List.copyOf(ConfigFileParser.list(file, fields, name, path));
            if (attributes.isEmpty()) {
                throw values.error(tuple.getValueNode(), path + "." + name, "must name at least one attribute");
            }
            return attributes;
        }
        return List.of(values.value(fields, node, name, path, true));
    }

    private String rootCa(Map<String, NodeTuple> fields, String path) {
        String file = values.value(fields, null, "rootCA", path, false);
        String data = values.value(fields, null, "rootCAData", path, false);
        if (file != null && data != null) {
            throw values.error(fields.get("rootCAData").getKeyNode(), path + ".rootCAData", "give rootCA or rootCAData, not both");
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
                throw values.error(at, path + ".rootCA", "cannot read " + resolved + ": " + e.getMessage());
            }
        } else if (data != null) {
            try {
                // Dex's []byte field: base64 of the PEM in YAML
                pem = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                throw values.error(at, path + ".rootCAData", "must be the base64 of a PEM certificate");
            }
        } else {
            return null;
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw values.error(at, path + (file != null ? ".rootCA" : ".rootCAData"), "holds no PEM certificate");
        }
        return pem;
    }

    private void checkHost(String host, Node at, String path) {
        int colon = host.lastIndexOf(':');
        if (host.contains("/") || host.isBlank()) {
            throw values.error(at, path, "must be host or host:port, not a URL");
        }
        if (colon > 0 && host.indexOf(']') < colon) {
            String port = host.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw values.error(at, path, "'" + port + "' is not a port");
            }
        }
    }
}
