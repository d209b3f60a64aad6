package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.config.LanyardProperties;
import io.lanyard.kube.ApiserverConfig;
import io.lanyard.kube.ClaimNames;
import io.lanyard.kube.Kubeconfig;
import io.lanyard.kube.KubeYaml;
import io.lanyard.kube.LoginClient;
import io.lanyard.kube.RbacBindings;
import io.lanyard.users.GroupService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "kube", mixinStandardHelpOptions = true,
        description = "Wire a Kubernetes cluster to Lanyard: YAML for the API server, the kubeconfig, the RBAC bindings.",
        subcommands = {KubeCommand.ApiserverConfigCommand.class, KubeCommand.KubeconfigCommand.class,
                KubeCommand.RbacCommand.class, KubeCommand.WebhookConfigCommand.class})
public class KubeCommand {

    /** How the apiserver reads the id_token: shared by the commands whose output must agree. */
    static final class Claims {
        @Option(names = "--username-claim", defaultValue = "email", paramLabel = "email|sub|preferred_username",
                description = "the id_token claim that becomes the username (default: ${DEFAULT-VALUE})")
        String usernameClaim;
        @Option(names = "--username-prefix", defaultValue = ClaimNames.DEFAULT_PREFIX, paramLabel = "PREFIX",
                description = "put before every username (default: ${DEFAULT-VALUE}; \"\" for none)")
        String usernamePrefix;
        @Option(names = "--groups-prefix", defaultValue = ClaimNames.DEFAULT_PREFIX, paramLabel = "PREFIX",
                description = "put before every group (default: ${DEFAULT-VALUE}; \"\" for none)")
        String groupsPrefix;

        ClaimNames names() {
            return new ClaimNames(usernameClaim, usernamePrefix, "groups", groupsPrefix);
        }
    }

    @Command(name = "apiserver-config", mixinStandardHelpOptions = true,
            description = "Print kube-apiserver's AuthenticationConfiguration (or, with --legacy-flags, its --oidc-* "
                    + "flags) for Lanyard's issuer and these clients.")
    static class ApiserverConfigCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--client", required = true, paramLabel = "ID",
                description = "a client people log in to the cluster with; repeat for several audiences")
        List<String> clients;
        @Option(names = "--api-version", defaultValue = ApiserverConfig.V1, paramLabel = "v1|v1beta1",
                description = "v1 for Kubernetes 1.34 and later, v1beta1 for 1.30 to 1.33 (default: ${DEFAULT-VALUE})")
        String apiVersion;
        @Option(names = "--legacy-flags", description = "the --oidc-* flags instead (any version; one client)")
        boolean legacyFlags;
        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "PEM of the CA that signed Lanyard's certificate (default: from LANYARD_TLS_CERT_FILE "
                        + "and the dev CA beside it; none: the system's CAs)")
        @Nullable
        Path caFile;
        @Option(names = "--ca-path", defaultValue = "/etc/kubernetes/pki/lanyard-ca.pem", paramLabel = "PATH",
                description = "with --legacy-flags: where that PEM goes on the control-plane nodes (default: "
                        + "${DEFAULT-VALUE})")
        String caPath;
        @Mixin
        Claims claims;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open()) {
                ApiserverConfig.Trust trust = KubeInputs.trust(ctx, clients, caFile, claims.names(), LoginClient.Use.CLUSTER);
                String out;
                if (legacyFlags) {
                    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
                    doc.put("kube-apiserver", ApiserverConfig.legacyFlags(trust, caPath));
                    if (trust.caPem() != null) {
                        doc.put("files", java.util.Map.of(caPath, trust.caPem()));
                    }
                    out = KubeYaml.document(List.of(
                            "kube-apiserver's --oidc-* flags for " + trust.issuer() + ", client " + trust.audiences().get(0),
                            "(any Kubernetes version; from 1.30 the AuthenticationConfiguration can do more: leave out "
                                    + "--legacy-flags).",
                            "",
                            "kubeadm: each flag under ClusterConfiguration apiServer.extraArgs (name: oidc-issuer-url,",
                            "  value: ...), then kubeadm upgrade apply, or edit the static pod manifest.",
                            "static pod (/etc/kubernetes/manifests/kube-apiserver.yaml): each flag as a line of the",
                            "  kube-apiserver container's command.",
                            "k3s / rke2: kube-apiserver-arg: [\"oidc-issuer-url=...\", ...] in /etc/rancher/*/config.yaml.",
                            "files: write each file's text to its path on every control-plane node (mount it into the",
                            "  static pod)."), doc);
                } else {
                    out = KubeYaml.document(List.of(
                            "kube-apiserver's structured authentication for " + trust.issuer() + " (clients "
                                    + String.join(", ", trust.audiences()) + "),",
                            "apiserver.config.k8s.io/" + apiVersion + ": " + (ApiserverConfig.V1.equals(apiVersion)
                                    ? "Kubernetes 1.34 and later (--api-version v1beta1 for 1.30 to 1.33)."
                                    : "Kubernetes 1.30 to 1.33 (v1 from 1.34)."),
                            "",
                            "Save it on every control-plane node, e.g. as /etc/kubernetes/lanyard-authn.yaml, and start",
                            "kube-apiserver with --authentication-config=/etc/kubernetes/lanyard-authn.yaml (and no --oidc-*",
                            "flags: the two cannot be combined).",
                            "kubeadm: apiServer.extraArgs authentication-config, and extraVolumes to mount the file.",
                            "k3s / rke2: kube-apiserver-arg: [\"authentication-config=/etc/rancher/lanyard-authn.yaml\"].",
                            "AKS: its JWT authenticator takes the jwt entry below (issuer, claimMappings, rules)."),
                            ApiserverConfig.authenticationConfiguration(trust, apiVersion));
                }
                return print(spec, out);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage(), 2);
            }
        }
    }

    @Command(name = "kubeconfig", mixinStandardHelpOptions = true,
            description = "Print a kubeconfig whose user logs in through Lanyard with kubelogin (kubectl oidc-login).")
    static class KubeconfigCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--client", required = true, paramLabel = "ID", description = "the client people log in with")
        String client;
        @Option(names = "--server", required = true, paramLabel = "URL",
                description = "the API server, such as https://k8s.example.com:6443")
        String server;
        @Option(names = "--cluster-ca", paramLabel = "FILE", description = "PEM of the API server's CA")
        @Nullable
        Path clusterCa;
        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "PEM of the CA that signed Lanyard's certificate (default: as for apiserver-config)")
        @Nullable
        Path caFile;
        @Option(names = "--name", defaultValue = "lanyard", paramLabel = "NAME",
                description = "the cluster and context name (default: ${DEFAULT-VALUE})")
        String name;
        @Option(names = "--grant", defaultValue = "auto", paramLabel = "auto|device-code",
                description = "device-code for machines without a browser (default: ${DEFAULT-VALUE})")
        String grant;
        @Mixin
        Claims claims;

        @Override
        public Integer call() {
            if (!grant.equals("auto") && !grant.equals("device-code")) {
                throw new CommandFailure("--grant must be auto or device-code, not '" + grant + "'", 2);
            }
            try (ApplicationContext ctx = CliContext.open()) {
                boolean device = grant.equals("device-code");
                ApiserverConfig.Trust trust = KubeInputs.trust(ctx, List.of(client), caFile, claims.names(),
                        device ? LoginClient.Use.KUBELOGIN_DEVICE : LoginClient.Use.KUBELOGIN_BROWSER);
                Client found = ctx.getBean(ClientService.class).find(client).orElseThrow();
                Kubeconfig.Spec kubeconfig = new Kubeconfig.Spec(name, server,
                        clusterCa == null ? null : KubeInputs.pem(clusterCa, "--cluster-ca"), trust.issuer(), trust.caPem(),
                        client, LoginClient.extraScopes(found, claims.names()), device);
                return print(spec, KubeYaml.document(List.of(
                        "A kubeconfig that logs in to " + server + " through Lanyard (" + trust.issuer() + ").",
                        "It needs kubelogin: kubectl krew install oidc-login (or brew install kubelogin).",
                        "Save it as ~/.kube/config (or pass --kubeconfig), then: kubectl get pods"),
                        Kubeconfig.kubeconfig(kubeconfig)));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage(), 2);
            }
        }
    }

    @Command(name = "rbac", mixinStandardHelpOptions = true,
            description = "Print a RoleBinding (with --namespace) or a ClusterRoleBinding for a group, named as the API "
                    + "server sees it (the apiserver-config's groups prefix included).")
    static class RbacCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--group", paramLabel = "GROUP", description = "a Lanyard group")
        @Nullable
        String group;
        @Option(names = "--upstream-group", paramLabel = "GROUP",
                description = "a connector's group as tokens carry it (its groupsPrefix included, e.g. corp:developers)")
        @Nullable
        String upstreamGroup;
        @Option(names = "--namespace", paramLabel = "NAMESPACE", description = "bind in this namespace only")
        @Nullable
        String namespace;
        @Option(names = "--role", paramLabel = "ROLE", description = "a Role in --namespace")
        @Nullable
        String role;
        @Option(names = "--cluster-role", paramLabel = "ROLE", description = "a ClusterRole, such as view, edit, admin")
        @Nullable
        String clusterRole;
        @Option(names = "--groups-prefix", defaultValue = ClaimNames.DEFAULT_PREFIX, paramLabel = "PREFIX",
                description = "the apiserver-config's groups prefix (default: ${DEFAULT-VALUE})")
        String groupsPrefix;

        @Override
        public Integer call() {
            if ((group == null) == (upstreamGroup == null)) {
                throw new CommandFailure("give --group (a Lanyard group) or --upstream-group, one of them", 2);
            }
            try {
                ClaimNames names = new ClaimNames("email", ClaimNames.DEFAULT_PREFIX, "groups", groupsPrefix);
                RbacBindings.Grant grant = new RbacBindings.Grant(group != null ? group : upstreamGroup, namespace,
                        role, clusterRole);
                if (group != null) {
                    try (ApplicationContext ctx = CliContext.open()) {
                        if (ctx.getBean(GroupService.class).find(group).isEmpty()) {
                            throw new CommandFailure("Lanyard has no group '" + group + "' (./lanyard groups list; a "
                                    + "connector's group goes with --upstream-group)", 2);
                        }
                    }
                }
                return print(spec, KubeYaml.document(List.of(
                        "Gives the members of " + (group != null ? "Lanyard group " : "upstream group ")
                                + grant.group() + " (\"" + names.group(grant.group()) + "\" to the API server) the "
                                + (role != null ? "Role " + role : "ClusterRole " + clusterRole)
                                + (namespace != null ? " in namespace " + namespace : " in every namespace") + ".",
                        "Apply it: kubectl apply -f -"), RbacBindings.binding(grant, names)));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage(), 2);
            }
        }
    }

    @Command(name = "webhook-config", mixinStandardHelpOptions = true,
            description = "Print the kubeconfig for kube-apiserver's --authentication-token-webhook-config-file: "
                    + "Lanyard's TokenReview endpoint, called as this client (one of LANYARD_TOKEN_REVIEW_CLIENTS).")
    static class WebhookConfigCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--client", required = true, paramLabel = "ID",
                description = "the cluster's client: its audiences are the login clients whose tokens it accepts")
        String client;
        @Option(names = "--new-secret", description = "give the client a new secret and put it in as the bearer token "
                + "(the old secret stops working)")
        boolean newSecret;
        @Option(names = "--client-certificate", paramLabel = "PATH", description = "authenticate with this TLS client "
                + "certificate instead (a path on the control-plane nodes; the client must be a mutual-TLS client)")
        @Nullable
        String clientCertificate;
        @Option(names = "--client-key", paramLabel = "PATH", description = "the key of --client-certificate")
        @Nullable
        String clientKey;
        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "PEM of the CA that signed Lanyard's certificate (default: as for apiserver-config)")
        @Nullable
        Path caFile;

        @Override
        public Integer call() {
            if (newSecret == (clientCertificate != null)) {
                throw new CommandFailure("give --new-secret (a bearer token) or --client-certificate and --client-key", 2);
            }
            if ((clientCertificate == null) != (clientKey == null)) {
                throw new CommandFailure("--client-certificate and --client-key go together", 2);
            }
            try (ApplicationContext ctx = CliContext.open()) {
                List<String> allowed = ctx.getBean(io.lanyard.kube.TokenReviewProperties.class).clients();
                if (!allowed.contains(client)) {
                    throw new CommandFailure("client " + client + " may not call the webhook: add it to "
                            + "LANYARD_TOKEN_REVIEW_CLIENTS (now " + allowed + ")", 2);
                }
                ClientService clients = ctx.getBean(ClientService.class);
                Client found = clients.find(client).orElseThrow(() -> new CommandFailure("no client '" + client
                        + "' (./lanyard clients list)", 2));
                if (found.audiences().isEmpty()) {
                    throw new CommandFailure("client " + client + " names no audiences: give it the login clients whose "
                            + "tokens the cluster accepts (./lanyard clients update " + client + " --audience kubernetes)", 2);
                }
                if (clientCertificate != null && !found.usesMutualTls()) {
                    throw new CommandFailure("client " + client + " is not a mutual-TLS client (--tls-client-auth-* or "
                            + "--tls-client-certificate)", 2);
                }
                String issuer = ctx.getBean(LanyardProperties.class).issuer();
                if (!issuer.startsWith("https://")) {
                    throw new CommandFailure("kube-apiserver should reach the webhook over https, and this issuer is "
                            + issuer, 2);
                }
                // everything that can fail comes first: a rotated secret that is never printed is lost
                String caPem = KubeInputs.issuerCa(ctx, caFile);
                String token = newSecret ? clients.rotateSecret(client) : null;
                io.lanyard.kube.WebhookConfig.Caller caller = new io.lanyard.kube.WebhookConfig.Caller(client, token,
                        clientCertificate, clientKey);
                return print(spec, KubeYaml.document(List.of(
                        "kube-apiserver's webhook token authentication through Lanyard (" + issuer + "), as client "
                                + client + " (accepting tokens for " + String.join(", ", found.audiences()) + ").",
                        "Save it on every control-plane node, e.g. as /etc/kubernetes/lanyard-webhook.yaml (mode 0600: it "
                                + "holds a credential), and start kube-apiserver with",
                        "  --authentication-token-webhook-config-file=/etc/kubernetes/lanyard-webhook.yaml",
                        "  --authentication-token-webhook-version=v1",
                        "  --authentication-token-webhook-cache-ttl=30s   (how long a revoked token may still pass; "
                                + "default 2m)"),
                        io.lanyard.kube.WebhookConfig.kubeconfig(issuer, caPem, caller)));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage(), 2);
            }
        }
    }

    /** The YAML on standard output: exit code 0. */
    static int print(CommandSpec spec, String yaml) {
        spec.commandLine().getOut().print(yaml);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
