package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.LegacyOidcFlags;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.StructuredAuthn;
import io.lanyard.testing.TestDatabases;
import io.lanyard.tls.DevCaRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code lanyard kube apiserver-config} prints, given to kube-apiserver's checks, accepts a real
 * login's id_token from a Lanyard serving HTTPS with the dev CA, and makes the user RBAC bindings from
 * {@code lanyard kube rbac} name: {@code lanyard:alice@example.com} in {@code lanyard:developers}.
 */
class KubeWiringEndToEndTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String REDIRECT = "http://localhost:8000";
    @TempDir
    static Path tls;
    private static LanyardServer server;
    private static Map<String, Object> settings;
    private static HttpClient trusting;

    @BeforeAll
    static void start() {
        DevCaRun.ok(tls, "--host", "localhost");
        Map<String, Object> props = LanyardServer.withTls(LanyardServer.defaults(TestDatabases.freshPostgres()),
                tls.resolve("server.pem"), tls.resolve("server-key.pem"), "localhost");
        props.put("lanyard.token-review.clients", "apiserver");
        server = LanyardServer.start(props);
        trusting = LanyardServer.clientTrusting(tls.resolve("ca.pem"));
        server.createUser("alice", PASSWORD, "alice@example.com", "developers");
        server.createPublicClient("k8s", REDIRECT);
        // the cluster's own client for the webhook: it accepts the id_tokens of k8s
        server.bean(io.lanyard.clients.ClientService.class).create(io.lanyard.clients.Client.builder("apiserver")
                .grantTypes(java.util.Set.of("client_credentials")).audiences(java.util.Set.of("k8s")).build(), true);
        // the CLI beside the server: its database, issuer and certificate
        settings = new HashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith("datasources.") || key.startsWith("lanyard.tls.") || key.equals("lanyard.issuer")
                    || key.startsWith("lanyard.token-review.")
                    || key.equals("lanyard.kek")) {
                settings.put(key, value);
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String idTokenOfALogin() throws Exception {
        Pkce pkce = Pkce.create();
        String location = new Browser(trusting.sslContext()).login(server.issuer(), server.issuer()
                + "/authorize?response_type=code&client_id=k8s&redirect_uri=" + URLEncoder.encode(REDIRECT,
                StandardCharsets.UTF_8) + "&scope=" + URLEncoder.encode("openid email groups offline_access",
                StandardCharsets.UTF_8) + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256",
                "alice", PASSWORD);
        HttpResponse<String> tokens = trusting.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.issuer() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=k8s"
                        + "&code=" + Browser.query(location).get("code") + "&redirect_uri="
                        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + pkce.verifier()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());
        return (String) JSONObjectUtils.parse(tokens.body()).get("id_token");
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.run(new HashMap<>(settings), args);
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGeneratedLegacyFlagsAcceptARealLogin() throws Exception {
        Map<String, Object> doc = new Yaml().load(ok("kube", "apiserver-config", "--client", "k8s", "--legacy-flags")
                .out());
        LegacyOidcFlags flags = new LegacyOidcFlags((List<String>) doc.get("kube-apiserver"));
        assertEquals(server.issuer(), flags.flag("oidc-issuer-url"));
        // the CA came from the dev CA beside LANYARD_TLS_CERT_FILE, and goes where --oidc-ca-file says
        Map<String, String> files = (Map<String, String>) doc.get("files");
        assertEquals(Files.readString(tls.resolve("ca.pem")).strip() + "\n", files.get(flags.flag("oidc-ca-file")));
        Path caFile = Files.writeString(tls.resolve("written-ca.pem"), files.get(flags.flag("oidc-ca-file")));

        LegacyOidcFlags.KubeUser user = flags.authenticate(idTokenOfALogin(), caFile);
        assertEquals("lanyard:alice@example.com", user.username());
        assertEquals(List.of("lanyard:developers"), user.groups());

        Map<String, Object> binding = new Yaml().load(ok("kube", "rbac", "--group", "developers", "--namespace",
                "team-a", "--cluster-role", "edit").out());
        Map<String, Object> subject = (Map<String, Object>) ((List<Object>) binding.get("subjects")).get(0);
        assertTrue(user.groups().contains((String) subject.get("name")), "the binding names the user's group");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGeneratedWebhookConfigReachesTheTokenReviewAndKnowsARealLogin() throws Exception {
        CliRun run = ok("kube", "webhook-config", "--client", "apiserver", "--new-secret");
        assertTrue(run.out().contains("--authentication-token-webhook-version=v1"), run.out());
        Path file = Files.writeString(tls.resolve("webhook.yaml"), run.out());
        Map<String, Object> config = JSONObjectUtils.parse(io.lanyard.testing.Kubectl.ok(null, "--kubeconfig",
                file.toString(), "config", "view", "--raw", "-o", "json"));
        Map<String, Object> cluster = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) config.get("clusters"))
                .get(0)).get("cluster");
        Map<String, Object> user = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) config.get("users"))
                .get(0)).get("user");
        assertEquals(server.issuer() + "/tokenreview", cluster.get("server"));
        // kube-apiserver's call: over TLS trusting only the kubeconfig's CA, with its bearer token
        Path ca = Files.write(tls.resolve("webhook-ca.pem"), java.util.Base64.getDecoder()
                .decode((String) cluster.get("certificate-authority-data")));
        server.bean(io.lanyard.clients.ClientRegistry.class).reload();
        String review = JSONObjectUtils.toJSONString(Map.of("apiVersion", "authentication.k8s.io/v1",
                "kind", "TokenReview", "spec", Map.of("token", idTokenOfALogin())));
        HttpResponse<String> answer = LanyardServer.clientTrusting(ca).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create((String) cluster.get("server"))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + user.get("token"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, Object> status = (Map<String, Object>) JSONObjectUtils.parse(answer.body()).get("status");
        assertEquals(true, status.get("authenticated"), answer.body());
        Map<String, Object> kubeUser = (Map<String, Object>) status.get("user");
        // the same user the generated apiserver config makes: one RBAC binding serves both
        assertEquals("lanyard:alice@example.com", kubeUser.get("username"));
        assertEquals(List.of("lanyard:developers"), kubeUser.get("groups"));
    }

    @Test
    void theGeneratedAuthenticationConfigurationAcceptsARealLoginAndNotAnotherClients() throws Exception {
        Map<String, Object> config = new Yaml().load(ok("kube", "apiserver-config", "--client", "k8s").out());
        LegacyOidcFlags.KubeUser user = new StructuredAuthn(config).authenticate(idTokenOfALogin(), tls);
        assertEquals("lanyard:alice@example.com", user.username());
        assertEquals(List.of("lanyard:developers"), user.groups());
        server.createPublicClient("other", REDIRECT);
        Map<String, Object> forOther = new Yaml().load(ok("kube", "apiserver-config", "--client", "other").out());
        AssertionError refused = assertThrows(AssertionError.class,
                () -> new StructuredAuthn(forOther).authenticate(idTokenOfALogin(), tls));
        assertTrue(refused.getMessage().contains("does not contain other"), refused.getMessage());
    }
}
