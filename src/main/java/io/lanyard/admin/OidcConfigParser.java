package io.lanyard.admin;

import io.lanyard.config.LanyardConfigException;
import io.lanyard.tls.PemFiles;
import io.lanyard.users.oidc.OidcConfig;
import io.micronaut.core.annotation.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code config} of a {@code type: oidc} connector, with Dex's field names and meanings. */
final class OidcConfigParser {
    private static final Set<String> OIDC_FIELDS = Set.of("issuer", "clientID", "clientSecret", "redirectURI", "scopes",
            "userIDKey", "userNameKey", "insecureSkipEmailVerified", "insecureEnableGroups", "getUserInfo",
            "claimMapping", "overrideClaimMapping", "promptType", "basicAuthUnsupported", "rootCAs",
            "insecureSkipVerify", "allowedGroups", "pkceChallenge");
    private static final Set<String> CLAIM_MAPPING_FIELDS = Set.of("preferred_username", "email", "groups");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    private final String file;
    private final ConnectorValues values;

    OidcConfigParser(String file, ConnectorValues values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Dex's oidc connector. {@code redirectURI} must be Lanyard's {@code /callback} (checked against the
     * issuer at start) and may be left out; PKCE S256 is always used, so {@code pkceChallenge} may only
     * say S256.
     */
    OidcConfig parse(Node node, String path, Duration timeout) {
        Map<String, NodeTuple> fields = ConfigFileParser.mapping(file, node, path, OIDC_FIELDS);
        String issuer = values.value(fields, node, "issuer", path, true);
        URI issuerUri = httpUrl(issuer, fields.get("issuer").getValueNode(), path + ".issuer");
        if (issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
            throw values.error(fields.get("issuer").getValueNode(), path + ".issuer", "must have no query or fragment");
        }
        String clientId = values.value(fields, node, "clientID", path, true);
        String clientSecret = values.value(fields, node, "clientSecret", path, true);
        String redirect = values.value(fields, node, "redirectURI", path, false);
        if (redirect != null) {
            httpUrl(redirect, fields.get("redirectURI").getValueNode(), path + ".redirectURI");
        }
        List<String> scopes = List.copyOf(ConfigFileParser.list(file, fields, "scopes", path));
        if (!fields.containsKey("scopes")) {
            scopes = List.of("profile", "email");
        }
        for (String scope : scopes) {
            if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                throw values.error(fields.get("scopes").getValueNode(), path + ".scopes", "'" + scope + "' is not a scope");
            }
        }
        String pkce = values.value(fields, node, "pkceChallenge", path, false);
        if (pkce != null && !pkce.equals("S256")) {
            throw values.error(fields.get("pkceChallenge").getValueNode(), path + ".pkceChallenge",
                    "Lanyard always uses S256 with an upstream; plain is not offered");
        }
        String prompt = "consent";
        if (fields.containsKey("promptType")) {
            Node at = fields.get("promptType").getValueNode();
            prompt = at instanceof ScalarNode s ? s.getValue().trim() : "?";
            List<String> prompts = List.of(prompt.split(" +"));
            if (!prompt.isEmpty() && !PROMPTS.containsAll(prompts)) {
                throw values.error(at, path + ".promptType", "must be empty or prompt values (none, login, consent, "
                        + "select_account)");
            }
            if (prompts.contains("none") && prompts.size() > 1) {
                throw values.error(at, path + ".promptType", "none goes with no other prompt value");
            }
        }
        Boolean basicUnsupported = fields.containsKey("basicAuthUnsupported")
                ? values.flag(fields, "basicAuthUnsupported", path) : null;
        boolean skipVerify = values.flag(fields, "insecureSkipVerify", path);
        List<String> rootCas = new ArrayList<>();
        for (String caFile : ConfigFileParser.list(file, fields, "rootCAs", path)) {
            rootCas.add(pemFile(caFile, fields.get("rootCAs").getValueNode(), path + ".rootCAs"));
        }
        if (skipVerify && !rootCas.isEmpty()) {
            throw values.error(fields.get("rootCAs").getKeyNode(), path + ".rootCAs", "cannot go with insecureSkipVerify");
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
        boolean groups = values.flag(fields, "insecureEnableGroups", path);
        List<String> allowed = List.copyOf(ConfigFileParser.list(file, fields, "allowedGroups", path));
        if (!allowed.isEmpty() && !groups) {
            throw values.error(fields.get("allowedGroups").getKeyNode(), path + ".allowedGroups",
                    "needs insecureEnableGroups: true (the groups are read from the upstream's claims)");
        }
        return new OidcConfig(issuer, clientId, clientSecret == null ? "" : clientSecret, redirect, scopes,
                orElse(values.value(fields, node, "userIDKey", path, false), "sub"),
                orElse(values.value(fields, node, "userNameKey", path, false), "name"),
                values.flag(fields, "insecureSkipEmailVerified", path), groups, values.flag(fields, "getUserInfo", path), mapping,
                values.flag(fields, "overrideClaimMapping", path), prompt, basicUnsupported, rootCas, skipVerify, allowed,
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
        throw values.error(at, path, "must be an absolute https (or http) URL");
    }

    private static String orElse(@Nullable String value, String otherwise) {
        return value != null ? value : otherwise;
    }

    /** A PEM file named in the declarative file, relative to the file's directory. */
    private String pemFile(String name, Node at, String path) {
        Path parent = Path.of(this.file).toAbsolutePath().getParent();
        Path resolved = parent == null ? Path.of(name) : parent.resolve(name);
        try {
            // parsed here, so that a broken file stops the start with its line, not at the first login
            return PemFiles.certificates(resolved, resolved.toString()).stream().map(PemFiles::encode)
                    .collect(java.util.stream.Collectors.joining());
        } catch (LanyardConfigException e) {
            throw values.error(at, path, e.getMessage());
        }
    }
}
