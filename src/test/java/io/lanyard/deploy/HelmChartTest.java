package io.lanyard.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart (k8s/helm/lanyard), linted and rendered with the helm library helm-java bundles:
 * the defaults and each option, read back as YAML. The Deployment is checked where a mistake would
 * hurt: probes on the management port, ports, security context, resource limits, the mounted KEK and
 * declarative file, the database settings.
 */
class HelmChartTest {
    private static final Path CHART = Path.of("k8s/helm/lanyard");

    /** Rendered with the values an install needs (an issuer, a KEK Secret, a database) and {@code options}. */
    private static List<Map<String, Object>> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> options) {
        com.marcnuri.helm.TemplateCommand template = template().withName("idp").withNamespace("lanyard")
                .set("issuer", "https://id.example.com").set("kek.existingSecret", "lanyard-kek")
                .set("database.external.url", "jdbc:postgresql://db.example.com:5432/lanyard")
                .set("database.external.existingSecret", "lanyard-db");
        String yaml = options.apply(template).call();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    /** helm template, for a cluster of a version the chart accepts (helm's default here is 1.20). */
    private static com.marcnuri.helm.TemplateCommand template() {
        return new Helm(CHART).template().withKubeVersion("1.32.0");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static List<String> kinds(List<Map<String, Object>> documents) {
        return documents.stream().map(d -> (String) d.get("kind")).sorted().toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), kind + " in " + kinds(documents));
        return found.get(0);
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> variable = map(item);
            env.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value")
                    : variable.get("valueFrom"));
        }
        return env;
    }

    @Test
    void theChartLintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDefaultDeploymentRunsTwoHardenedReplicasProbedOnTheManagementPort() {
        List<Map<String, Object>> documents = render(t -> t);
        assertEquals(List.of("ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service", "Service",
                "ServiceAccount"), kinds(documents));
        Map<String, Object> deployment = only(documents, "Deployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertEquals(2, spec.get("replicas"));
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        assertEquals(false, pod.get("automountServiceAccountToken"));
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        assertEquals(true, podSecurity.get("runAsNonRoot"));
        assertEquals(10001, podSecurity.get("runAsUser"));
        assertEquals("RuntimeDefault", map(podSecurity.get("seccompProfile")).get("type"));
        assertFalse(list(pod.get("topologySpreadConstraints")).isEmpty());
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertEquals("ghcr.io/lanyard/lanyard:0.1.0", container.get("image"));
        assertEquals(List.of(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
                Map.of("name", "management", "containerPort", 9000, "protocol", "TCP")), container.get("ports"));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertEquals("management", get.get("port"), probe);
        }
        assertEquals("/health/readiness", map(map(container.get("readinessProbe")).get("httpGet")).get("path"));
        Map<String, Object> security = map(container.get("securityContext"));
        assertEquals(true, security.get("readOnlyRootFilesystem"));
        assertEquals(false, security.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(security.get("capabilities")).get("drop"));
        Map<String, Object> resources = map(container.get("resources"));
        assertEquals("448Mi", map(resources.get("limits")).get("memory"));
        assertEquals("320Mi", map(resources.get("requests")).get("memory"));
        Map<String, Object> env = env(container);
        assertEquals("prod", env.get("LANYARD_PROFILE"));
        assertEquals("https://id.example.com", env.get("LANYARD_ISSUER"));
        assertEquals("/var/run/secrets/lanyard/kek/kek", env.get("LANYARD_KEK_FILE"));
        assertEquals("/etc/lanyard/lanyard.yaml", env.get("LANYARD_CONFIG"));
        assertEquals("jdbc:postgresql://db.example.com:5432/lanyard", env.get("LANYARD_DB_URL"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "lanyard-db", "key", "password")),
                env.get("LANYARD_DB_PASSWORD"));
        assertTrue(((String) env.get("JAVA_TOOL_OPTIONS")).contains("-Xmx256m"));
        // it replaces the image's options: the image's ahead-of-time cache must stay named
        assertTrue(((String) env.get("JAVA_TOOL_OPTIONS")).contains("-XX:AOTCache=/app/lanyard.aot"));
        // the KEK and the declarative file are mounted read-only, /tmp is the only writable path
        List<Object> mounts = list(container.get("volumeMounts"));
        assertTrue(mounts.contains(Map.of("name", "kek", "mountPath", "/var/run/secrets/lanyard/kek", "readOnly", true)));
        assertTrue(mounts.contains(Map.of("name", "config", "mountPath", "/etc/lanyard", "readOnly", true)));
        Map<String, Object> volumes = new java.util.HashMap<>();
        list(pod.get("volumes")).forEach(v -> volumes.put((String) map(v).get("name"), v));
        assertEquals("lanyard-kek", map(map(volumes.get("kek")).get("secret")).get("secretName"));
        assertEquals("idp-lanyard-config", map(map(volumes.get("config")).get("configMap")).get("name"));
        // the public Service exposes 8080 only; the management Service is headless
        List<Map<String, Object>> services = documents.stream().filter(d -> "Service".equals(d.get("kind"))).toList();
        Map<String, Object> publicService = services.stream().filter(s -> !((String) map(s.get("metadata")).get("name"))
                .endsWith("-management")).findFirst().orElseThrow();
        assertEquals(List.of(Map.of("name", "http", "port", 80, "targetPort", "http", "protocol", "TCP")),
                map(publicService.get("spec")).get("ports"));
        assertEquals(1, map(only(documents, "PodDisruptionBudget").get("spec")).get("minAvailable"));
    }

    @Test
    void eachOptionRendersItsObjects() {
        List<Map<String, Object>> all = render(t -> t
                .set("ingress.enabled", "true").set("ingress.host", "id.example.com")
                .set("httpRoute.enabled", "true").set("httpRoute.parentRefs[0].name", "public")
                .set("certificate.enabled", "true").set("certificate.issuerRef.name", "letsencrypt")
                .set("certificate.dnsNames[0]", "id.example.com")
                .set("serviceMonitor.enabled", "true")
                .set("clientSecrets.values.REPORTS_CLIENT_SECRET", "s3cret"));
        List<String> kinds = kinds(all);
        for (String kind : List.of("Ingress", "HTTPRoute", "Certificate", "ServiceMonitor", "Secret")) {
            assertTrue(kinds.contains(kind), kind + " in " + kinds);
        }
        Map<String, Object> container = map(list(map(map(map(only(all, "Deployment").get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        assertEquals(List.of(Map.of("secretRef", Map.of("name", "idp-lanyard-client-secrets"))), container.get("envFrom"));
        // the ingress serves the certificate's Secret
        Map<String, Object> tls = map(list(map(only(all, "Ingress").get("spec")).get("tls")).get(0));
        assertEquals("idp-lanyard-tls", tls.get("secretName"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBundledDatabaseIsAStatefulSetWithAGeneratedPassword() {
        List<Map<String, Object>> documents = render(t -> t.set("database.mode", "bundled"));
        Map<String, Object> statefulSet = only(documents, "StatefulSet");
        assertEquals(1, map(statefulSet.get("spec")).get("replicas"));
        Map<String, Object> env = env(map(list(map(map(map(only(documents, "Deployment").get("spec")).get("template"))
                .get("spec")).get("containers")).get(0)));
        assertEquals("jdbc:postgresql://idp-lanyard-postgresql:5432/lanyard", env.get("LANYARD_DB_URL"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "idp-lanyard-postgresql", "key", "password")),
                env.get("LANYARD_DB_PASSWORD"));
        assertTrue(documents.stream().anyMatch(d -> "Secret".equals(d.get("kind"))
                && "idp-lanyard-postgresql".equals(map(d.get("metadata")).get("name"))));
    }

    /**
     * The documented way to the first administrator in prod: the declarative file in the ConfigMap, the
     * password in the chart's Secret as an environment variable. What the pods would read is parsed by
     * Lanyard's own parser with that environment.
     */
    @Test
    void theFirstAdministratorComesFromTheDeclarativeFileWithItsPasswordFromTheSecret() {
        List<Map<String, Object>> documents = render(t -> t.withValuesFile(Path.of("src/test/resources/helm/first-admin.yaml")));
        String file = (String) map(documents.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst()
                .orElseThrow().get("data")).get("lanyard.yaml");
        Map<String, Object> secret = documents.stream().filter(d -> "Secret".equals(d.get("kind"))
                && "idp-lanyard-client-secrets".equals(map(d.get("metadata")).get("name"))).findFirst().orElseThrow();
        Map<String, String> environment = new java.util.HashMap<>();
        map(secret.get("data")).forEach((name, value) -> environment.put(name, new String(
                java.util.Base64.getDecoder().decode((String) value), java.nio.charset.StandardCharsets.UTF_8)));
        io.lanyard.admin.ParsedConfig parsed = new io.lanyard.admin.ConfigFileParser(new io.lanyard.clients.ClientValidator(
                new io.lanyard.config.TokenProperties(java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(10),
                        java.time.Duration.ofHours(24), 16384, java.time.Duration.ofSeconds(60), java.time.Duration.ofDays(7),
                        java.time.Duration.ofDays(30), java.time.Duration.ofSeconds(10)),
                new io.lanyard.keys.KeysProperties(List.of("RS256", "ES256"), 2048, java.time.Duration.ofDays(7),
                        java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(60),
                        "auto")), environment::get).parse("lanyard.yaml", file);
        io.lanyard.admin.ParsedConfig.DeclaredUser admin = parsed.users().get(0);
        assertEquals("admin", admin.user().username());
        assertEquals("a long first-administrator passphrase", admin.password());
        assertEquals(java.util.Set.of("platform-admins"), admin.groups());
        assertEquals("kubernetes", parsed.clients().get(0).clientId());
        // and the pods get that variable
        Map<String, Object> container = map(list(map(map(map(only(documents, "Deployment").get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        assertEquals(List.of(Map.of("secretRef", Map.of("name", "idp-lanyard-client-secrets"))), container.get("envFrom"));
    }

    @Test
    void whatCannotWorkStopsTheInstallWithTheReason() {
        IllegalStateException noIssuer = assertThrows(IllegalStateException.class,
                () -> template().set("kek.existingSecret", "k").call());
        assertTrue(noIssuer.getMessage().contains("issuer is required"), noIssuer.getMessage());
        IllegalStateException http = assertThrows(IllegalStateException.class,
                () -> render(t -> t.set("issuer", "http://id.example.com")));
        assertTrue(http.getMessage().contains("issuer must be an https URL"), http.getMessage());
        IllegalStateException noKek = assertThrows(IllegalStateException.class,
                () -> template().set("issuer", "https://id.example.com").call());
        assertTrue(noKek.getMessage().contains("kek.existingSecret"), noKek.getMessage());
        IllegalStateException ingress = assertThrows(IllegalStateException.class,
                () -> render(t -> t.set("ingress.enabled", "true")));
        assertTrue(ingress.getMessage().contains("ingress.host is required"), ingress.getMessage());
    }
}
