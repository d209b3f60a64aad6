package io.lanyard.cli;

import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration that cannot work stops the server with one readable line and a non-zero exit. */
class StartupConfigTest {

    static CliRun serve(Map<String, Object> extra) throws Exception {
        Map<String, Object> settings = new HashMap<>(TestDatabases.freshH2());
        settings.put("micronaut.server.port", "-1");
        settings.put("lanyard.data-dir", Files.createTempDirectory("lanyard").toString());
        settings.putAll(extra);
        return CliRun.run(settings, "serve");
    }

    static void assertRefused(CliRun run, String text) {
        assertEquals(2, run.exitCode(), run.err());
        String err = run.err().trim();
        assertTrue(err.startsWith("lanyard: ") && err.contains(text), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
    }

    @Test
    void everyLanyardSettingIsParsedStrictly() throws Exception {
        assertRefused(serve(Map.of("lanyard.tokens.access-token-lifetime", "ten")),
                "-Dlanyard.tokens.access-token-lifetime: 'ten' is not a duration");
        assertRefused(serve(Map.of("lanyard.tokens.access-token-lifetime", "3 minutes")), "is not a duration");
        assertRefused(serve(Map.of("lanyard.log.format", "jsno")), "'jsno' must be one of text, json");
        assertRefused(serve(Map.of("lanyard.log.level", "LOUD")), "'LOUD' must be one of TRACE, DEBUG, INFO");
        assertRefused(serve(Map.of("lanyard.passwords.iterations", "two")), "is not a whole number");
        assertRefused(serve(Map.of("lanyard.management.port", "90000")), "is not a port");
    }

    @Test
    void anUnknownLanyardSettingIsNamedWithTheClosestKnownOne() throws Exception {
        assertRefused(serve(Map.of("lanyard.issur", "https://id.example.com")),
                "-Dlanyard.issur is not a setting of Lanyard (did you mean LANYARD_ISSUER?)");
    }

    @Test
    void anUnknownEnvironmentVariableStopsTheProcessWithExitCodeTwo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.lanyard.Main", "keys", "list").redirectErrorStream(true);
        builder.environment().put("LANYARD_ISSUR", "https://id.example.com");
        builder.environment().put("LANYARD_TOKENS_ACCESS_TOKEN_LIFETIME", "10m");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(2, process.waitFor(), output);
        assertTrue(output.trim().endsWith("lanyard: LANYARD_ISSUR is not a setting of Lanyard (did you mean "
                + "LANYARD_ISSUER?)"), output);
    }

    @Test
    void prodWithoutKeyEncryptionKey() throws Exception {
        assertRefused(serve(Map.of("lanyard.profile", "prod", "lanyard.issuer", "https://id.example.com")),
                "needs a key-encryption key");
    }

    @Test
    void prodWithHttpIssuer() throws Exception {
        assertRefused(serve(Map.of("lanyard.profile", "prod", "lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
                "https");
    }

    @Test
    void malformedKek() throws Exception {
        assertRefused(serve(Map.of("lanyard.kek", "c2hvcnQ=")), "32 bytes");
    }

    @Test
    void prePublicationShorterThanTheJwksCache() throws Exception {
        assertRefused(serve(Map.of("lanyard.keys.pre-publish", "60s")), "pre-publish");
    }

    @Test
    void unsupportedAlgorithm() throws Exception {
        assertRefused(serve(Map.of("lanyard.keys.algorithms", "HS256")), "HS256");
    }

    @Test
    void badDeclarativeFile() throws Exception {
        Path file = Files.createTempFile("lanyard", ".yaml");
        Files.writeString(file, "clients:\n  - name: no id\n");
        assertRefused(serve(Map.of("lanyard.config", file.toString())), ":2: clients[0].id: is required");
    }

    @Test
    void defaultLifetimeAboveTheMaximum() throws Exception {
        assertRefused(serve(Map.of("lanyard.tokens.access-token-lifetime", "48h")), "max-lifetime");
    }

    @Test
    void deviceSettingsOutOfRange() throws Exception {
        assertRefused(serve(Map.of("lanyard.device.interval", "0s")), "lanyard.device.interval must be between 1 and 60");
        assertRefused(serve(Map.of("lanyard.device.code-lifetime", "2h")), "lanyard.device.code-lifetime must be");
        assertRefused(serve(Map.of("lanyard.device.free-guesses", "2", "lanyard.device.free-guesses-per-address", "5")),
                "free-guesses at least as large");
    }

    @Test
    void clientOfAnAlgorithmNoLongerConfigured() throws Exception {
        Map<String, Object> db = TestDatabases.freshH2();
        assertEquals(0, CliRun.run(new HashMap<>(db), "clients", "create", "fast", "--signing-alg", "ES256").exitCode());
        Map<String, Object> rsOnly = new HashMap<>(db);
        rsOnly.put("lanyard.keys.algorithms", "RS256");
        assertRefused(serve(rsOnly), "fast (ES256)");
    }

    @Test
    void keysSealedByAnotherKek() throws Exception {
        Map<String, Object> db = TestDatabases.freshH2();
        Map<String, Object> first = new HashMap<>(db);
        first.put("lanyard.kek", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertEquals(0, CliRun.run(first, "keys", "rotate", "--activate-now").exitCode());
        Map<String, Object> second = new HashMap<>(db);
        second.put("lanyard.kek", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
        assertRefused(serve(second), "key-encryption key");
    }
}
