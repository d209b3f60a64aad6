package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Kubectl;
import io.lanyard.testing.TestDatabases;
import io.lanyard.tls.DevCaRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lanyard kube …}: each command's YAML parsed back and checked field by field, the
 * AuthenticationConfiguration against the fields each API version has, the kubeconfig as kubectl
 * loads it; bad input is a message and exit code 2.
 */
class KubeCommandTest {
    private static final String ISSUER = "https://lanyard.example.com";
    @TempDir
    static Path dir;
    private static Map<String, Object> settings;
    private static String caPem;

    /** The fields of each AuthenticationConfiguration object (the same in v1beta1 and v1). */
    private static final Map<String, Set<String>> SCHEMA = Map.of(
            "root", Set.of("apiVersion", "kind", "jwt", "anonymous"),
            "jwt", Set.of("issuer", "claimValidationRules", "claimMappings", "userValidationRules"),
            "issuer", Set.of("url", "discoveryURL", "certificateAuthority", "audiences", "audienceMatchPolicy",
                    "egressSelectorType"),
            "claimValidationRule", Set.of("claim", "requiredValue", "expression", "message"),
            "claimMappings", Set.of("username", "groups", "uid", "extra"),
            "prefixed", Set.of("claim", "prefix", "expression"),
            "uid", Set.of("claim", "expression"),
            "userValidationRule", Set.of("expression", "message"));

    @BeforeAll
    static void start() throws Exception {
        DevCaRun.ok(dir, "--host", "lanyard.example.com");
        caPem = Files.readString(dir.resolve("ca.pem"));
        settings = new HashMap<>(TestDatabases.freshH2());
        settings.put("lanyard.issuer", ISSUER);
        settings.put("lanyard.token-review.clients", "cluster,cluster-without-audiences,mtls-cluster");
        assertEquals(0, run("clients", "create", "k8s", "--public", "--grant-type", "authorization_code,refresh_token",
                "--scope", "openid,profile,email,groups,offline_access", "--redirect-uri", "http://localhost:8000")
                .exitCode());
        assertEquals(0, run("clients", "create", "k8s-headless", "--public", "--grant-type",
                "urn:ietf:params:oauth:grant-type:device_code", "--scope", "openid,email,groups").exitCode());
        assertEquals(0, run("clients", "create", "no-groups", "--public", "--grant-type", "authorization_code",
                "--scope", "openid,email", "--redirect-uri", "http://localhost:8000").exitCode());
        assertEquals(0, run("clients", "create", "machines").exitCode());
        assertEquals(0, run("clients", "create", "web", "--grant-type", "authorization_code", "--scope",
                "openid,email,groups", "--redirect-uri", "https://app.example.com/callback").exitCode());
        assertEquals(0, run("groups", "create", "team-a").exitCode());
        assertEquals(0, run("clients", "create", "cluster", "--audience", "k8s").exitCode());
        assertEquals(0, run("clients", "create", "cluster-without-audiences").exitCode());
        assertEquals(0, run("clients", "create", "mtls-cluster", "--audience", "k8s", "--tls-client-auth-subject-dn",
                "CN=kube-apiserver").exitCode());
    }

    private static CliRun run(String... args) {
        return CliRun.run(new HashMap<>(settings), args);
    }

    private static CliRun ok(String... args) {
        CliRun run = run(args);
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    private static void refused(String message, String... args) {
        CliRun run = run(args);
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains(message), run.err());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static void fieldsOf(String kind, Map<String, Object> object) {
        assertTrue(SCHEMA.get(kind).containsAll(object.keySet()), kind + " has fields the API does not: " + object.keySet());
    }

    /** The document against the API's fields, required fields and validation rules. */
    private static Map<String, Object> checkedAuthenticationConfiguration(String yaml, String version) {
        Map<String, Object> doc = map(new Yaml().load(yaml));
        fieldsOf("root", doc);
        assertEquals("apiserver.config.k8s.io/" + version, doc.get("apiVersion"));
        assertEquals("AuthenticationConfiguration", doc.get("kind"));
        List<Object> jwt = list(doc.get("jwt"));
        assertEquals(1, jwt.size(), "one authenticator per issuer (issuer URLs must be unique)");
        Map<String, Object> authenticator = map(jwt.get(0));
        fieldsOf("jwt", authenticator);
        Map<String, Object> issuer = map(authenticator.get("issuer"));
        fieldsOf("issuer", issuer);
        assertTrue(((String) issuer.get("url")).startsWith("https://"));
        List<Object> audiences = list(issuer.get("audiences"));
        assertFalse(audiences.isEmpty());
        assertEquals(audiences.size() > 1 ? "MatchAny" : null, issuer.get("audienceMatchPolicy"));
        Map<String, Object> mappings = map(authenticator.get("claimMappings"));
        fieldsOf("claimMappings", mappings);
        for (String prefixed : List.of("username", "groups")) {
            Map<String, Object> mapping = map(mappings.get(prefixed));
            fieldsOf("prefixed", mapping);
            assertTrue(mapping.containsKey("claim") != mapping.containsKey("expression"));
            assertTrue(!mapping.containsKey("claim") || mapping.get("prefix") instanceof String,
                    "prefix is required with claim");
        }
        fieldsOf("uid", map(mappings.get("uid")));
        for (Object rule : list(authenticator.getOrDefault("claimValidationRules", List.of()))) {
            fieldsOf("claimValidationRule", map(rule));
        }
        for (Object rule : list(authenticator.get("userValidationRules"))) {
            fieldsOf("userValidationRule", map(rule));
        }
        return doc;
    }

    @Test
    void apiserverConfigIsAnAuthenticationConfigurationOfEachVersion() throws Exception {
        Files.writeString(dir.resolve("issuer-ca.pem"), caPem);
        for (String version : List.of("v1", "v1beta1")) {
            CliRun run = ok("kube", "apiserver-config", "--client", "k8s", "--api-version", version, "--ca-file",
                    dir.resolve("issuer-ca.pem").toString());
            assertTrue(run.out().startsWith("# "), "comments say where it goes: " + run.out());
            assertTrue(run.out().contains("--authentication-config="), run.out());
            Map<String, Object> authenticator = map(list(checkedAuthenticationConfiguration(run.out(), version)
                    .get("jwt")).get(0));
            Map<String, Object> issuer = map(authenticator.get("issuer"));
            assertEquals(ISSUER, issuer.get("url"));
            assertEquals(List.of("k8s"), issuer.get("audiences"));
            assertEquals(caPem.strip() + "\n", issuer.get("certificateAuthority"));
            Map<String, Object> mappings = map(authenticator.get("claimMappings"));
            assertEquals(Map.of("claim", "email", "prefix", "lanyard:"), mappings.get("username"));
            assertEquals(Map.of("claim", "groups", "prefix", "lanyard:"), mappings.get("groups"));
            assertEquals(Map.of("claim", "sub"), mappings.get("uid"));
            // Kubernetes' documented expressions
            assertEquals("claims.?email_verified.orValue(true) == true",
                    map(list(authenticator.get("claimValidationRules")).get(0)).get("expression"));
            assertEquals(List.of("!user.username.startsWith('system:')",
                    "user.groups.all(group, !group.startsWith('system:'))"),
                    list(authenticator.get("userValidationRules")).stream().map(r -> map(r).get("expression")).toList());
        }
    }

    @Test
    void aCaFileWithAKeyBesideTheCertificateGivesOnlyTheCertificate() throws Exception {
        Path both = Files.writeString(dir.resolve("ca-and-key.pem"), caPem + Files.readString(dir.resolve("ca-key.pem")));
        CliRun run = ok("kube", "apiserver-config", "--client", "k8s", "--ca-file", both.toString());
        assertFalse(run.out().contains("PRIVATE KEY"), run.out());
        assertEquals(caPem.strip() + "\n", map(map(list(map(new Yaml().load(run.out())).get("jwt")).get(0)).get("issuer"))
                .get("certificateAuthority"));
        refused("holds no PEM certificate", "kube", "apiserver-config", "--client", "k8s", "--ca-file",
                dir.resolve("ca-key.pem").toString());
    }

    @Test
    void severalClientsAreSeveralAudiencesOfOneAuthenticator() {
        CliRun run = ok("kube", "apiserver-config", "--client", "k8s", "--client", "k8s-headless",
                "--username-claim", "sub", "--username-prefix", "", "--groups-prefix", "sso:");
        Map<String, Object> authenticator = map(list(checkedAuthenticationConfiguration(run.out(), "v1").get("jwt")).get(0));
        Map<String, Object> issuer = map(authenticator.get("issuer"));
        assertEquals(List.of("k8s", "k8s-headless"), issuer.get("audiences"));
        assertEquals("MatchAny", issuer.get("audienceMatchPolicy"));
        assertNull(issuer.get("certificateAuthority"), "no TLS configured here: the system's CAs");
        Map<String, Object> mappings = map(authenticator.get("claimMappings"));
        assertEquals(Map.of("claim", "sub", "prefix", ""), mappings.get("username"));
        assertNull(authenticator.get("claimValidationRules"), "email_verified matters only when email is the username");
    }

    @Test
    void legacyFlagsForOneClient() {
        CliRun run = ok("kube", "apiserver-config", "--client", "k8s", "--legacy-flags", "--ca-file",
                dir.resolve("ca.pem").toString());
        Map<String, Object> doc = map(new Yaml().load(run.out()));
        assertEquals(List.of("--oidc-issuer-url=" + ISSUER, "--oidc-client-id=k8s", "--oidc-username-claim=email",
                "--oidc-username-prefix=lanyard:", "--oidc-groups-claim=groups", "--oidc-groups-prefix=lanyard:",
                "--oidc-signing-algs=RS256", "--oidc-ca-file=/etc/kubernetes/pki/lanyard-ca.pem"),
                doc.get("kube-apiserver"));
        assertEquals(caPem.strip() + "\n", map(doc.get("files")).get("/etc/kubernetes/pki/lanyard-ca.pem"));
        refused("the --oidc-* flags take one client", "kube", "apiserver-config", "--client", "k8s", "--client",
                "k8s-headless", "--legacy-flags");
    }

    @Test
    void whatTheClusterCannotUseIsRefused() {
        refused("no client 'nope'", "kube", "apiserver-config", "--client", "nope");
        refused("client no-groups cannot log people in to a cluster: it may not ask for the groups scope",
                "kube", "apiserver-config", "--client", "no-groups");
        refused("neither the authorization_code nor the device_code grant", "kube", "apiserver-config", "--client",
                "machines");
        refused("--api-version must be v1 (Kubernetes 1.34 and later) or v1beta1", "kube", "apiserver-config",
                "--client", "k8s", "--api-version", "v1alpha1");
        refused("a prefix must not start with system:", "kube", "apiserver-config", "--client", "k8s",
                "--groups-prefix", "system:");
        refused("--username-claim must be one of", "kube", "apiserver-config", "--client", "k8s",
                "--username-claim", "name");
        Map<String, Object> http = new HashMap<>(settings);
        http.put("lanyard.issuer", "http://localhost:8080");
        CliRun plain = CliRun.run(http, "kube", "apiserver-config", "--client", "k8s");
        assertEquals(2, plain.exitCode());
        assertTrue(plain.err().contains("kube-apiserver accepts only https issuers"), plain.err());
    }

    @Test
    void theKubeconfigLoadsInKubectlAndWithoutKubeloginPrintsTheInstallHint() throws Exception {
        Path clusterCa = dir.resolve("cluster-ca.pem");
        Files.writeString(clusterCa, caPem);
        CliRun run = ok("kube", "kubeconfig", "--client", "k8s", "--server", "https://k8s.example.com:6443",
                "--cluster-ca", clusterCa.toString(), "--ca-file", dir.resolve("ca.pem").toString(), "--name", "prod");
        Path file = dir.resolve("kubeconfig.yaml");
        Files.writeString(file, run.out());
        Map<String, Object> config = JSONObjectUtils.parse(Kubectl.ok(null, "--kubeconfig", file.toString(), "config",
                "view", "-o", "json", "--raw"));
        assertEquals("prod", config.get("current-context"));
        Map<String, Object> cluster = map(map(list(config.get("clusters")).get(0)).get("cluster"));
        assertEquals("https://k8s.example.com:6443", cluster.get("server"));
        assertEquals(caPem.strip() + "\n", new String(Base64.getDecoder().decode((String)
                cluster.get("certificate-authority-data")), StandardCharsets.US_ASCII));
        Map<String, Object> exec = map(map(map(list(config.get("users")).get(0)).get("user")).get("exec"));
        assertEquals("client.authentication.k8s.io/v1", exec.get("apiVersion"));
        assertEquals("kubectl-oidc_login", exec.get("command"));
        assertEquals("IfAvailable", exec.get("interactiveMode"));
        List<Object> args = list(exec.get("args"));
        assertEquals("get-token", args.get(0));
        assertTrue(args.containsAll(List.of("--oidc-issuer-url=" + ISSUER, "--oidc-client-id=k8s",
                "--oidc-extra-scope=email", "--oidc-extra-scope=groups", "--oidc-extra-scope=offline_access",
                "--certificate-authority-data=" + Base64.getEncoder().encodeToString((caPem.strip() + "\n")
                        .getBytes(StandardCharsets.US_ASCII)))), args.toString());
        assertTrue(((String) exec.get("installHint")).contains("kubectl krew install oidc-login"));

        // no kubelogin on this machine: kubectl says how to install it, once, instead of starting itself again
        // (as it does with command: kubectl, args: [oidc-login, ...] and KUBECONFIG naming that file)
        Kubectl.Run use = Kubectl.run(file, "get", "pods", "--request-timeout=5s");
        assertTrue(use.exitCode() != 0);
        assertTrue(use.output().contains("kubectl krew install oidc-login"), use.output());
    }

    @Test
    void aHeadlessKubeconfigUsesTheDeviceGrant() {
        CliRun run = ok("kube", "kubeconfig", "--client", "k8s-headless", "--server", "https://10.0.0.1:6443",
                "--grant", "device-code");
        Map<String, Object> exec = map(map(map(list(map(new Yaml().load(run.out())).get("users")).get(0)).get("user"))
                .get("exec"));
        List<Object> args = list(exec.get("args"));
        assertTrue(args.contains("--grant-type=device-code"), args.toString());
        assertFalse(args.contains("--oidc-extra-scope=offline_access"), "the client has no refresh_token grant");
        refused("no device_code grant", "kube", "kubeconfig", "--client", "k8s", "--server", "https://10.0.0.1:6443",
                "--grant", "device-code");
        refused("it has no authorization_code grant (for a device-only client, add --grant device-code)", "kube",
                "kubeconfig", "--client", "k8s-headless", "--server", "https://10.0.0.1:6443");
        refused("it is a confidential client, and kubelogin would need its secret", "kube", "kubeconfig", "--client",
                "web", "--server", "https://10.0.0.1:6443");
        refused("--server must be the API server's https URL", "kube", "kubeconfig", "--client", "k8s", "--server",
                "k8s.example.com:6443");
    }

    @Test
    void theWebhookConfigIsAKubeconfigForTheTokenReviewEndpoint() {
        Map<String, Object> config = map(new Yaml().load(ok("kube", "webhook-config", "--client", "mtls-cluster",
                "--client-certificate", "/etc/kubernetes/pki/lanyard-webhook.crt", "--client-key",
                "/etc/kubernetes/pki/lanyard-webhook.key", "--ca-file", dir.resolve("ca.pem").toString()).out()));
        assertEquals(Map.of("client-certificate", "/etc/kubernetes/pki/lanyard-webhook.crt", "client-key",
                "/etc/kubernetes/pki/lanyard-webhook.key"), map(map(list(config.get("users")).get(0)).get("user")));
        assertTrue(map(map(list(config.get("clusters")).get(0)).get("cluster")).containsKey("certificate-authority-data"));
        refused("is not a mutual-TLS client", "kube", "webhook-config", "--client", "cluster", "--client-certificate",
                "a.crt", "--client-key", "a.key");
        config = map(new Yaml().load(ok("kube", "webhook-config", "--client", "cluster", "--new-secret").out()));
        Map<String, Object> cluster = map(map(list(config.get("clusters")).get(0)).get("cluster"));
        assertEquals(ISSUER + "/tokenreview", cluster.get("server"));
        Map<String, Object> user = map(map(list(config.get("users")).get(0)).get("user"));
        assertTrue(((String) user.get("token")).length() >= 43, "the client's new secret");
        assertEquals("webhook", config.get("current-context"));
        refused("may not call the webhook: add it to LANYARD_TOKEN_REVIEW_CLIENTS", "kube", "webhook-config",
                "--client", "k8s", "--new-secret");
        refused("names no audiences", "kube", "webhook-config", "--client", "cluster-without-audiences", "--new-secret");
        refused("give --new-secret (a bearer token) or --client-certificate", "kube", "webhook-config", "--client",
                "cluster");
    }

    @Test
    void rbacBindsTheGroupAsTheApiserverNamesIt() {
        CliRun run = ok("kube", "rbac", "--group", "team-a", "--namespace", "team-a", "--cluster-role", "edit");
        Map<String, Object> binding = map(new Yaml().load(run.out()));
        assertEquals("rbac.authorization.k8s.io/v1", binding.get("apiVersion"));
        assertEquals("RoleBinding", binding.get("kind"));
        assertEquals("team-a", map(binding.get("metadata")).get("namespace"));
        String name = (String) map(binding.get("metadata")).get("name");
        assertTrue(name.matches("lanyard-team-a-edit-[a-z0-9]{6}"), name);
        // names that fold together still get bindings of their own
        String folded = (String) map(map(new Yaml().load(ok("kube", "rbac", "--upstream-group", "Team-A", "--namespace",
                "team-a", "--cluster-role", "edit").out())).get("metadata")).get("name");
        assertTrue(folded.startsWith("lanyard-team-a-edit-") && !folded.equals(name), folded);
        assertEquals(List.of(Map.of("kind", "Group", "apiGroup", "rbac.authorization.k8s.io", "name", "lanyard:team-a")),
                binding.get("subjects"));
        assertEquals(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "edit"),
                binding.get("roleRef"));
        Map<String, Object> cluster = map(new Yaml().load(ok("kube", "rbac", "--upstream-group", "corp:sre",
                "--cluster-role", "view", "--groups-prefix", "oidc:").out()));
        assertEquals("ClusterRoleBinding", cluster.get("kind"));
        assertFalse(map(cluster.get("metadata")).containsKey("namespace"));
        assertEquals("oidc:corp:sre", map(list(cluster.get("subjects")).get(0)).get("name"));
        Map<String, Object> role = map(new Yaml().load(ok("kube", "rbac", "--group", "team-a", "--namespace", "team-a",
                "--role", "deployer").out()));
        assertEquals("Role", map(role.get("roleRef")).get("kind"));
        refused("Lanyard has no group 'nobody'", "kube", "rbac", "--group", "nobody", "--cluster-role", "view");
        refused("add --namespace", "kube", "rbac", "--group", "team-a", "--role", "deployer");
        refused("give --role or --cluster-role", "kube", "rbac", "--group", "team-a", "--namespace", "team-a");
        refused("is not a namespace name", "kube", "rbac", "--group", "team-a", "--namespace", "Team_A",
                "--cluster-role", "edit");
    }
}
