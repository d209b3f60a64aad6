package io.lanyard.admin;

import io.lanyard.clients.ClientValidator;
import io.lanyard.config.TokenProperties;
import io.lanyard.keys.KeysProperties;
import io.lanyard.users.Connectors;
import io.lanyard.users.oidc.OidcConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Dex {@code type: oidc} block is taken as it is (Dex's own example, secrets from the environment);
 * Dex's defaults apply where it is silent; what Lanyard does not do is refused with its line and field.
 */
class OidcConnectorsConfigTest {
    /** Dex's documented example for its oidc connector, less the Google-only hostedDomains. */
    private static final String DEX_BLOCK = """
            connectors:
            - type: oidc
              id: google
              name: Google
              config:
                issuer: https://accounts.google.com
                clientID: $GOOGLE_CLIENT_ID
                clientSecret: $GOOGLE_CLIENT_SECRET
                redirectURI: https://lanyard.example.com/callback
                basicAuthUnsupported: true
                scopes:
                 - profile
                 - email
                 - groups
                insecureSkipEmailVerified: true
                insecureEnableGroups: true
                getUserInfo: true
                userIDKey: nickname
                userNameKey: email
                promptType: consent
                claimMapping:
                  preferred_username: other_user_name
                  email: mail
                  groups: "cognito:groups"
            """;
    private static final Map<String, String> ENV = Map.of("GOOGLE_CLIENT_ID", "lanyard-client",
            "GOOGLE_CLIENT_SECRET", "s3cret-oidc");

    private static final ClientValidator VALIDATOR = new ClientValidator(
            new TokenProperties(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(24), 16384,
                    Duration.ofSeconds(60), Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(10)),
            new KeysProperties(List.of("RS256", "ES256"), 2048, Duration.ofDays(7), Duration.ofHours(1),
                    Duration.ofMinutes(5), Duration.ofSeconds(60), "auto"));

    private static ParsedConfig parse(String yaml) {
        return new ConfigFileParser(VALIDATOR, ENV::get).parse("lanyard.yaml", yaml);
    }

    private static String refused(String yaml) {
        String message = assertThrows(ConfigFileException.class, () -> parse(yaml)).getMessage();
        assertFalse(message.contains("s3cret-oidc"), message);
        return message;
    }

    @Test
    void dexsExampleBlockIsTakenAsItIs() {
        ParsedConfig.DeclaredConnector connector = parse(DEX_BLOCK).connectors().get(0);
        assertNull(connector.ldap());
        OidcConfig oidc = connector.oidc();
        assertEquals("https://accounts.google.com", oidc.issuer());
        assertEquals("lanyard-client", oidc.clientId());
        assertEquals("s3cret-oidc", oidc.clientSecret());
        assertFalse(oidc.toString().contains("s3cret-oidc"), oidc.toString());
        assertEquals(List.of("profile", "email", "groups"), oidc.scopes());
        assertEquals("nickname", oidc.userIdKey());
        assertEquals("email", oidc.userNameKey());
        assertTrue(oidc.insecureSkipEmailVerified() && oidc.insecureEnableGroups() && oidc.getUserInfo());
        assertEquals(Boolean.TRUE, oidc.basicAuthUnsupported());
        assertEquals(new OidcConfig.ClaimMapping("other_user_name", "mail", "cognito:groups"), oidc.claimMapping());
        assertEquals("consent", oidc.promptType());
    }

    @Test
    void dexsDefaultsApplyWhereTheBlockIsSilent() {
        OidcConfig oidc = parse("""
                connectors:
                - type: oidc
                  id: sso
                  name: SSO
                  config:
                    issuer: https://sso.example.com/realms/staff
                    clientID: lanyard
                    clientSecret: plain
                """).connectors().get(0).oidc();
        assertEquals(List.of("profile", "email"), oidc.scopes());
        assertEquals("sub", oidc.userIdKey());
        assertEquals("name", oidc.userNameKey());
        assertEquals("consent", oidc.promptType());
        assertNull(oidc.basicAuthUnsupported(), "chosen by the upstream's metadata");
        assertNull(oidc.redirectUri(), "the issuer's /callback, filled in at start");
        assertEquals(OidcConfig.ClaimMapping.STANDARD, oidc.claimMapping());
        assertEquals(Duration.ofSeconds(5), oidc.timeout());
    }

    @Test
    void whatLanyardDoesNotDoIsRefusedWithItsLineAndField() {
        assertTrue(refused(DEX_BLOCK.replace("    getUserInfo: true\n", "    getUserInfo: true\n    hostedDomains: [example.com]\n"))
                .startsWith("lanyard.yaml:18: connectors[0].config.hostedDomains: unknown field"));
        assertEquals("lanyard.yaml:6: connectors[0].config.issuer: must be an absolute https (or http) URL",
                refused(DEX_BLOCK.replace("https://accounts.google.com", "accounts.google.com")));
        assertEquals("lanyard.yaml:20: connectors[0].config.promptType: must be empty or prompt values (none, login, "
                + "consent, select_account)", refused(DEX_BLOCK.replace("promptType: consent", "promptType: always")));
        assertEquals("lanyard.yaml:20: connectors[0].config.promptType: none goes with no other prompt value",
                refused(DEX_BLOCK.replace("promptType: consent", "promptType: none consent")));
        assertTrue(refused(DEX_BLOCK.replace("    promptType: consent\n", "    promptType: consent\n    pkceChallenge: plain\n"))
                .startsWith("lanyard.yaml:21: connectors[0].config.pkceChallenge: Lanyard always uses S256"));
        assertTrue(refused(DEX_BLOCK.replace("  email: mail", "  email: mail\n      name: display")).startsWith(
                "lanyard.yaml:24: connectors[0].config.claimMapping.name: unknown field"));
        assertEquals("lanyard.yaml:8: connectors[0].config.clientSecret: environment variable GOOGLE_CLIENT_SECRET is "
                + "not set", assertThrows(ConfigFileException.class, () -> new ConfigFileParser(VALIDATOR,
                Map.of("GOOGLE_CLIENT_ID", "x")::get).parse("lanyard.yaml", DEX_BLOCK)).getMessage());
        assertTrue(refused(DEX_BLOCK.replace("    insecureEnableGroups: true\n", "    allowedGroups: [admins]\n"))
                .contains("allowedGroups: needs insecureEnableGroups: true"));
        assertTrue(refused(DEX_BLOCK.replace("    getUserInfo: true\n", "    getUserInfo: true\n    rootCAs: [nope.pem]\n"))
                .contains("connectors[0].config.rootCAs: cannot read"));
    }

    @Test
    void theRedirectUriMustBeThisIssuersCallback(@TempDir Path dir) throws Exception {
        ParsedConfig parsed = parse(DEX_BLOCK);
        List<Connectors.Configured> built = DeclaredConnectors.build("lanyard.yaml", parsed.connectors(),
                "https://lanyard.example.com", Clock.systemUTC());
        assertEquals("google", built.get(0).connector().id());
        ConfigFileException wrong = assertThrows(ConfigFileException.class, () -> DeclaredConnectors.build("lanyard.yaml",
                parsed.connectors(), "https://login.example.com", Clock.systemUTC()));
        assertEquals("lanyard.yaml:2: connectors[0].config.redirectURI: must be https://login.example.com/callback "
                + "(this issuer's /callback), or be left out", wrong.getMessage());
        // rootCAs are files beside the declarative file
        Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        Path file = dir.resolve("lanyard.yaml");
        Files.writeString(file, DEX_BLOCK.replace("    getUserInfo: true\n", "    getUserInfo: true\n    rootCAs: [ca.pem]\n"));
        String message = assertThrows(ConfigFileException.class,
                () -> new ConfigFileParser(VALIDATOR, ENV::get).parse(file)).getMessage();
        assertTrue(message.contains("ca.pem holds no PEM certificate"), message);
    }
}
