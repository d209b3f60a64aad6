package io.lanyard.kube;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig whose user logs in through Lanyard with kubelogin's exec credential plugin. The command
 * is the plugin's own binary ({@code kubectl-oidc_login}, as krew and Homebrew install it), not
 * {@code kubectl oidc-login}: without the plugin, kubectl then prints the install hint (which it shows
 * only when the command is not found). With {@code command: kubectl} and KUBECONFIG naming this file,
 * a missing plugin made kubectl start kubectl, which read the same file and started kubectl again:
 * 83 processes within six seconds on this project's machine.
 */
public final class Kubeconfig {
    static final String PLUGIN = "kubectl-oidc_login";
    static final String INSTALL_HINT = """
            This kubeconfig logs in with kubelogin, which is not installed. Install it with
              kubectl krew install oidc-login
            (or: brew install kubelogin), then run kubectl again.""";

    /**
     * @param clusterName    the name of the cluster, context and user entries
     * @param server         the API server's URL (https://host:6443)
     * @param clusterCaPem   the API server's CA, PEM; null when the system's CAs do
     * @param issuerCaPem    the issuer's CA, PEM, for kubelogin; null when the system's CAs do
     * @param extraScopes    beyond openid: those that put email and groups in the id_token, offline_access
     * @param deviceCode     use the device authorization grant (headless machines)
     */
    public record Spec(String clusterName, String server, @Nullable String clusterCaPem, String issuer,
                       @Nullable String issuerCaPem, String clientId, List<String> extraScopes, boolean deviceCode) {
        public Spec {
            extraScopes = List.copyOf(extraScopes);
            URI uri = URI.create(server);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--server must be the API server's https URL, such as "
                        + "https://k8s.example.com:6443, not '" + server + "'");
            }
            if (!clusterName.matches("[A-Za-z0-9][A-Za-z0-9_.@:-]{0,252}")) {
                throw new IllegalArgumentException("--name must be letters, digits, '.', '_', '-', '@' or ':'");
            }
        }
    }

    private Kubeconfig() {
    }

    public static Map<String, Object> kubeconfig(Spec spec) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", spec.server());
        if (spec.clusterCaPem() != null) {
            cluster.put("certificate-authority-data", base64(spec.clusterCaPem()));
        }
        String user = "lanyard-" + spec.clientId() + "@" + spec.clusterName();
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("apiVersion", "client.authentication.k8s.io/v1");
        exec.put("command", PLUGIN);
        exec.put("args", args(spec));
        exec.put("interactiveMode", "IfAvailable");
        exec.put("installHint", INSTALL_HINT);
        exec.put("provideClusterInfo", false);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(Map.of("name", spec.clusterName(), "cluster", cluster)));
        config.put("users", List.of(Map.of("name", user, "user", Map.of("exec", exec))));
        config.put("contexts", List.of(Map.of("name", spec.clusterName(),
                "context", Map.of("cluster", spec.clusterName(), "user", user))));
        config.put("current-context", spec.clusterName());
        return config;
    }

    private static List<String> args(Spec spec) {
        List<String> args = new ArrayList<>();
        args.add("get-token");
        args.add("--oidc-issuer-url=" + spec.issuer());
        args.add("--oidc-client-id=" + spec.clientId());
        for (String scope : spec.extraScopes()) {
            args.add("--oidc-extra-scope=" + scope);
        }
        if (spec.issuerCaPem() != null) {
            args.add("--certificate-authority-data=" + base64(spec.issuerCaPem()));
        }
        if (spec.deviceCode()) {
            args.add("--grant-type=device-code");
        }
        return args;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
