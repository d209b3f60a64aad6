package io.lanyard.deploy;

import io.lanyard.testing.Kubectl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kustomize base and its production overlay, rendered by {@code kubectl kustomize} (kubectl is
 * installed on these machines) and read back: the pieces the chart renders too, with the probes on
 * the management port, the hardened container and the image's options.
 */
class KustomizeTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static List<Map<String, Object>> kustomize(String target) throws Exception {
        String out = Kubectl.ok(null, "kustomize", target);
        List<Map<String, Object>> documents = new ArrayList<>();
        new Yaml().loadAll(out).forEach(d -> documents.add(map(d)));
        return documents;
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/production"})
    void eachTargetRendersAHardenedDeploymentProbedOnTheManagementPort(String target) throws Exception {
        List<Map<String, Object>> documents = kustomize(target);
        List<String> kinds = documents.stream().map(d -> (String) d.get("kind")).toList();
        assertTrue(kinds.containsAll(List.of("Namespace", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget")),
                kinds.toString());
        if (target.endsWith("production")) {
            assertTrue(kinds.containsAll(List.of("NetworkPolicy", "Ingress")), kinds.toString());
        }
        Map<String, Object> deployment = documents.stream().filter(d -> "Deployment".equals(d.get("kind")))
                .findFirst().orElseThrow();
        Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("management", map(map(container.get(probe)).get("httpGet")).get("port"), probe);
        }
        assertEquals(true, map(container.get("securityContext")).get("readOnlyRootFilesystem"));
        assertEquals(2, map(deployment.get("spec")).get("replicas"));
        String options = list(container.get("env")).stream().map(KustomizeTest::map)
                .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name"))).map(e -> (String) e.get("value"))
                .findFirst().orElseThrow();
        assertTrue(options.contains("-XX:AOTCache=/app/lanyard.aot"), options);
        if (target.endsWith("production")) {
            assertEquals("registry.example.com/lanyard:0.1.0", container.get("image"));
        }
    }
}
