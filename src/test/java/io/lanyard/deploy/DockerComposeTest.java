package io.lanyard.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml: with docker compose, {@code docker compose config} must accept it; without it
 * (these machines), it is read as YAML and its references checked: two replicas behind Lanyard's own
 * TLS from the one-shot dev-CA service, on one PostgreSQL, the issuer at replica a's published HTTPS
 * port, the files they mount present in the repository.
 */
class DockerComposeTest {
    private static final Path FILE = Path.of("docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** A docker client with its compose plugin (a client alone, as on these machines, is not enough). */
    private static boolean composePresent() {
        try {
            Process version = new ProcessBuilder("sh", "-c", "docker compose version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void dockerComposeAcceptsTheFileWhereItIsInstalled() throws Exception {
        // skipped, and said so, on machines without docker compose: the YAML checks below stand in for it
        org.junit.jupiter.api.Assumptions.assumeTrue(composePresent(), "docker compose is not installed");
        ProcessBuilder config = new ProcessBuilder("docker", "compose", "-f", FILE.toString(), "config", "-q")
                .redirectErrorStream(true);
        config.environment().put("LANYARD_KEK", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        config.environment().put("REPORTS_CLIENT_SECRET", "00");
        Process run = config.start();
        String said = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), said);
    }

    @Test
    void twoReplicasServeTlsFromTheOneShotCaOnOneDatabase() throws Exception {
        Map<String, Object> compose = map(new Yaml().load(Files.readString(FILE)));
        Map<String, Object> services = map(compose.get("services"));
        assertTrue(services.keySet().containsAll(List.of("tls", "postgres", "lanyard-a", "lanyard-b")), services.keySet().toString());
        Properties defaults = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            defaults.load(in);
        }
        String httpsPort = defaults.getProperty("micronaut.server.ssl.port");
        Map<String, Object> tls = map(services.get("tls"));
        String tlsDir = ((String) list(tls.get("volumes")).get(0)).split(":")[0];
        assertTrue(String.join(" ", list(tls.get("command")).stream().map(String::valueOf).toList())
                .contains("tls dev-ca --out /tls"), tls.toString());
        for (String replica : List.of("lanyard-a", "lanyard-b")) {
            Map<String, Object> service = map(services.get(replica));
            Map<String, Object> env = map(service.get("environment"));
            assertEquals("prod", env.get("LANYARD_PROFILE"));
            assertEquals("https://lanyard.localtest.me:8443", env.get("LANYARD_ISSUER"), "one issuer for both");
            assertTrue(((String) env.get("LANYARD_KEK")).startsWith("${LANYARD_KEK:?"), "the KEK must be given");
            assertTrue(((String) env.get("LANYARD_DB_URL")).contains("//postgres:5432/"));
            // the certificate the one-shot service writes is where the replica reads it
            List<Object> volumes = list(service.get("volumes"));
            assertTrue(volumes.contains(tlsDir + ":/tls:ro"), volumes.toString());
            assertTrue(((String) env.get("LANYARD_TLS_CERT_FILE")).startsWith("/tls/"));
            assertEquals(Map.of("condition", "service_completed_successfully"), map(service.get("depends_on")).get("tls"));
            assertEquals(Map.of("condition", "service_healthy"), map(service.get("depends_on")).get("postgres"));
            // every file it mounts from the repository exists
            for (Object volume : volumes) {
                String source = ((String) volume).split(":")[0];
                if (source.startsWith("./") && !source.equals(tlsDir)) {
                    assertTrue(Files.exists(Path.of(source)), source + " is mounted but missing");
                }
            }
            String port = (String) list(service.get("ports")).get(0);
            assertTrue(port.endsWith(":" + httpsPort), "the container's HTTPS port: " + port);
            assertEquals(true, service.get("read_only"));
        }
        // the issuer is replica a's published port
        assertTrue(((String) list(map(services.get("lanyard-a")).get("ports")).get(0)).startsWith("127.0.0.1:8443:"));
    }
}
