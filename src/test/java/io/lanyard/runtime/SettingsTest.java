package io.lanyard.runtime;

import io.lanyard.config.LanyardConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict settings check, and its list of settings held against the README's configuration table. */
class SettingsTest {

    private static String refusal(Map<String, String> environment) {
        return assertThrows(LanyardConfigException.class, () -> Settings.check(environment, new Properties()))
                .getMessage();
    }

    @Test
    void theReadmeDocumentsExactlyTheSettingsThatAreChecked() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Set<String> documented = new TreeSet<>();
        for (String row : section.lines().filter(l -> l.startsWith("| `LANYARD_")).toList()) {
            Matcher m = Pattern.compile("LANYARD_[A-Z_]+").matcher(row.split("\\|")[1]);
            while (m.find()) {
                documented.add(m.group());
            }
        }
        assertEquals(new TreeSet<>(Settings.KNOWN.keySet()), documented);
    }

    @Test
    void valuesAreParsedAsTheirKindDemands() {
        Settings.check(Map.of("LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME", "15m", "LANYARD_DB_TIMEOUT", "PT3S",
                "LANYARD_LOG_FORMAT", "JSON", "LANYARD_PASSWORDS_ITERATIONS", "3"), new Properties());
        assertEquals("LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME: 'ten' is not a duration (a number and a unit: 500ms, 30s, "
                + "10m, 24h, 7d; or ISO-8601 such as PT10M)", refusal(Map.of("LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME", "ten")));
        assertEquals("LANYARD_LOG_FORMAT: 'jsno' must be one of text, json", refusal(Map.of("LANYARD_LOG_FORMAT", "jsno")));
        assertEquals("LANYARD_KEYS_RSA_BITS: '2k' is not a whole number", refusal(Map.of("LANYARD_KEYS_RSA_BITS", "2k")));
    }

    @Test
    void durationsAreWhatMicronautReadsAndNothingElse() {
        for (String good : List.of("500ms", "30s", "10m", "24h", "7d", "PT10M", "P1D")) {
            Settings.check(Map.of("LANYARD_DB_TIMEOUT", good), new Properties());
        }
        for (String bad : List.of("10M", "1H", "pt10m", "P", "PT", "99999999999s", "10 m", "-5s", "1.5h")) {
            assertTrue(refusal(Map.of("LANYARD_DB_TIMEOUT", bad)).contains("is not a duration"), bad);
        }
    }

    @Test
    void aPropertyMustBeSpelledAsMicronautBindsIt() {
        Properties good = new Properties();
        good.setProperty("lanyard.keys.pre-publish", "2h");
        good.setProperty("lanyard.keys.prePublish", "2h");
        good.setProperty("lanyard.data-dir", "/tmp/x");
        Settings.check(Map.of(), good);
        Properties misspelt = new Properties();
        misspelt.setProperty("lanyard.keys.pre.publish", "2h");
        assertTrue(assertThrows(LanyardConfigException.class, () -> Settings.check(Map.of(), misspelt)).getMessage()
                .startsWith("-Dlanyard.keys.pre.publish is not a setting of Lanyard"));
        for (String name : Settings.KNOWN.keySet()) {
            assertEquals(name, Settings.property(name).toUpperCase().replace('.', '_').replace('-', '_'), name);
        }
        assertEquals("lanyard.tokens.access-token-lifetime", Settings.property("LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME"));
        assertEquals("lanyard.kek-file", Settings.property("LANYARD_KEK_FILE"));
    }

    @Test
    void theToolsOwnVariablesAreNoSettingsAndNotRefused() {
        Settings.check(Map.of("LANYARD_JAVA_OPTS", "-Xmx1g", "LANYARD_JAR", "/tmp/lanyard.jar",
                "LANYARD_TEST_CLIENT_SECRET", "x"), new Properties());
    }

    @Test
    void theFileACommandReadsMayNameItsSecretsButCannotExemptASetting() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "clients:\n  - id: billing\n    \"secretFromEnv\" : LANYARD_BILLING_SECRET\n"
                + "# secretFromEnv: LANYARD_LOG_FORMAT\n");
        Settings.check(Map.of("LANYARD_BILLING_SECRET", "s".repeat(40)), new Properties(), file);
        assertEquals("LANYARD_LOG_FORMAT: 'jsno' must be one of text, json", assertThrows(LanyardConfigException.class,
                () -> Settings.check(Map.of("LANYARD_LOG_FORMAT", "jsno"), new Properties(), file)).getMessage());
    }

    @Test
    void unknownNamesAreRefusedWithTheClosestKnownOneButSecretsTheFileNamesAreNot() throws Exception {
        assertEquals("LANYARD_ISSUR is not a setting of Lanyard (did you mean LANYARD_ISSUER?)",
                refusal(Map.of("LANYARD_ISSUR", "https://id.example.com")));
        assertEquals("LANYARD_TOKEN_MAX_LIFETIME is not a setting of Lanyard (did you mean LANYARD_TOKENS_MAX_LIFETIME?)",
                refusal(Map.of("LANYARD_TOKEN_MAX_LIFETIME", "1h")));
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "clients:\n  - id: billing\n    secretFromEnv: LANYARD_BILLING_SECRET\n");
        Settings.check(Map.of("LANYARD_CONFIG", file.toString(), "LANYARD_BILLING_SECRET", "s".repeat(40)),
                new Properties());
        String without = refusal(Map.of("LANYARD_BILLING_SECRET", "s".repeat(40)));
        assertTrue(without.startsWith("LANYARD_BILLING_SECRET is not a setting of Lanyard (did you mean "),
                "without the file that names it: " + without);
    }

    @Test
    void aConnectorsDollarVariablesAreTheFilesSecretsToo() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "connectors:\n  - type: ldap\n    config:\n      bindPW: $LANYARD_LDAP_BIND_PW\n"
                + "      other: ${LANYARD_LDAP_OTHER}\n");
        Settings.check(Map.of("LANYARD_CONFIG", file.toString(), "LANYARD_LDAP_BIND_PW", "x",
                "LANYARD_LDAP_OTHER", "y"), new Properties());
    }
}
