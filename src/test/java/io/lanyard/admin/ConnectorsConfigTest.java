package io.lanyard.admin;

import io.lanyard.clients.ClientValidator;
import io.lanyard.config.TokenProperties;
import io.lanyard.keys.KeysProperties;
import io.lanyard.users.ldap.LdapConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code connectors:} block: a Dex LDAP block is taken as it is, with {@code $VAR} secrets from
 * the environment; everything Lanyard does not support or cannot use is refused with its line and
 * field, and a secret's value never appears in an error.
 */
class ConnectorsConfigTest {
    private static final String DEX_BLOCK = """
            connectors:
            - type: ldap
              id: ldap
              name: OpenLDAP
              config:
                host: ldap.example.com:636
                insecureNoSSL: false
                insecureSkipVerify: false
                bindDN: cn=admin,dc=example,dc=org
                bindPW: $LDAP_BIND_PW
                usernamePrompt: Email Address
                userSearch:
                  baseDN: ou=People,dc=example,dc=org
                  filter: "(objectClass=person)"
                  username: mail
                  idAttr: DN
                  emailAttr: mail
                  nameAttr: cn
                groupSearch:
                  baseDN: ou=Groups,dc=example,dc=org
                  filter: "(objectClass=groupOfNames)"
                  userMatchers:
                  - userAttr: DN
                    groupAttr: member
                  nameAttr: cn
            """;

    private static final ClientValidator VALIDATOR = new ClientValidator(
            new TokenProperties(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(24), 16384,
                    Duration.ofSeconds(60), Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(10)),
            new KeysProperties(List.of("RS256", "ES256"), 2048, Duration.ofDays(7), Duration.ofHours(1),
                    Duration.ofMinutes(5), Duration.ofSeconds(60), "auto"));

    private static ParsedConfig parse(String yaml, Map<String, String> env) {
        return new ConfigFileParser(VALIDATOR, env::get).parse("lanyard.yaml", yaml);
    }

    private static ConfigFileException refused(String yaml) {
        return assertThrows(ConfigFileException.class, () -> parse(yaml, Map.of("LDAP_BIND_PW", "s3cret-bind")));
    }

    @Test
    void dexsExampleBlockIsTakenAsItIs() {
        ParsedConfig parsed = parse(DEX_BLOCK, Map.of("LDAP_BIND_PW", "s3cret-bind"));
        ParsedConfig.DeclaredConnector connector = parsed.connectors().get(0);
        assertEquals("ldap", connector.settings().id());
        assertEquals("OpenLDAP", connector.settings().name());
        LdapConfig ldap = connector.ldap();
        assertEquals("ldap.example.com", ldap.hostName());
        assertEquals(636, ldap.port());
        assertEquals("s3cret-bind", ldap.bindPW(), "$VAR read from the environment");
        assertEquals(List.of("mail"), ldap.userSearch().username());
        assertEquals(LdapConfig.Scope.SUB, ldap.userSearch().scope());
        assertEquals(List.of(new LdapConfig.UserMatcher("DN", "member", null)), ldap.groupSearch().userMatchers());
        assertNull(ldap.rootCAData());
    }

    @Test
    void dexDefaultPortsAndTheOldSingleMatcherForm() {
        ParsedConfig parsed = parse(DEX_BLOCK.replace("host: ldap.example.com:636", "host: ldap.example.com")
                .replace("insecureNoSSL: false", "insecureNoSSL: true")
                .replace("      userMatchers:\n      - userAttr: DN\n        groupAttr: member\n",
                        "      userAttr: uid\n      groupAttr: memberUid\n"), Map.of("LDAP_BIND_PW", "x"));
        LdapConfig ldap = parsed.connectors().get(0).ldap();
        assertEquals(389, ldap.port());
        assertEquals(List.of(new LdapConfig.UserMatcher("uid", "memberUid", null)), ldap.groupSearch().userMatchers());
    }

    @Test
    void whatLanyardCannotUseIsRefusedWithItsLineAndField() {
        assertEquals("lanyard.yaml:15: connectors[0].config.userSearch.userName: unknown field (expected one of "
                + "[baseDN, emailAttr, emailSuffix, filter, idAttr, nameAttr, preferredUsernameAttr, scope, username])",
                refused(DEX_BLOCK.replace("      username: mail", "      userName: mail")).getMessage());
        assertEquals("lanyard.yaml:2: connectors[0].type: 'saml' is not a connector type Lanyard has (ldap, oidc)",
                refused(DEX_BLOCK.replace("type: ldap", "type: saml")).getMessage());
        assertTrue(refused(DEX_BLOCK.replace("type: ldap", "type: oidc")).getMessage()
                .startsWith("lanyard.yaml:6: connectors[0].config.host: unknown field"));
        assertTrue(refused(DEX_BLOCK.replace("(objectClass=person)", "(objectClass=person")).getMessage()
                .startsWith("lanyard.yaml:14: connectors[0].config.userSearch.filter: is not an LDAP filter (RFC 4515): "));
        assertTrue(refused(DEX_BLOCK.replace("      idAttr: DN\n", "")).getMessage()
                .startsWith("lanyard.yaml:13: connectors[0].config.userSearch.idAttr: is required"));
        assertEquals("lanyard.yaml:20: connectors[0].config.groupSearch.scope: must be sub or one, not 'base'",
                refused(DEX_BLOCK.replace("  groupSearch:\n", "  groupSearch:\n      scope: base\n")).getMessage());
        assertEquals("lanyard.yaml:8: connectors[0].config.startTLS: cannot go with insecureNoSSL",
                refused(DEX_BLOCK.replace("insecureNoSSL: false", "insecureNoSSL: true\n    startTLS: true"))
                        .getMessage());
        assertEquals("lanyard.yaml:3: connectors[0].id: must be 1 to 64 letters, digits, '.', '_' or '-', starting "
                + "with a letter or digit", refused(DEX_BLOCK.replace("id: ldap", "id: my/ldap")).getMessage());
        assertEquals("lanyard.yaml:3: connectors[0].id: 'local' names Lanyard's own users in connector_id",
                refused(DEX_BLOCK.replace("id: ldap", "id: local")).getMessage());
        assertEquals("lanyard.yaml:5: connectors[0].groupsPrefix: must not start with system: (Kubernetes' own groups)",
                refused(DEX_BLOCK.replace("  name: OpenLDAP\n", "  name: OpenLDAP\n  groupsPrefix: \"system:\"\n"))
                        .getMessage());
        assertTrue(refused(DEX_BLOCK + DEX_BLOCK.substring("connectors:\n".length())).getMessage()
                .contains("connectors[1].id: 'ldap' is already defined on line 2"));
    }

    @Test
    void anUnsetVariableStopsTheStartAndNoSecretIsEverShown() throws Exception {
        ConfigFileException unset = assertThrows(ConfigFileException.class, () -> parse(DEX_BLOCK, Map.of()));
        assertEquals("lanyard.yaml:10: connectors[0].config.bindPW: environment variable LDAP_BIND_PW is not set",
                unset.getMessage());
        // checking the file's shape without its secrets (config check in CI) warns instead
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, DEX_BLOCK);
        ParsedConfig checked = new ConfigFileParser(VALIDATOR, name -> null).check(file);
        assertTrue(checked.warnings().get(0).contains("LDAP_BIND_PW"), checked.warnings().toString());
        ConfigFileException bad = refused(DEX_BLOCK.replace("host: ldap.example.com:636", "host: ldap://x:99999"));
        assertTrue(!bad.getMessage().contains("s3cret-bind"), bad.getMessage());
    }
}
