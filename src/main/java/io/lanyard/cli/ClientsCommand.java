package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientService;
import io.lanyard.clients.ClientValidator;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "clients", mixinStandardHelpOptions = true, description = "Manage OAuth clients.",
        subcommands = {ClientsCommand.Create.class, ClientsCommand.ListClients.class, ClientsCommand.Show.class,
                ClientsCommand.Update.class, ClientsCommand.Delete.class, ClientsCommand.RotateSecret.class})
public class ClientsCommand {

    /** What every client subcommand shares: output format and a way to run against the services. */
    static class Common {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
        OutputFormat output;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        <T> T run(Function<ClientService, T> action) {
            try (ApplicationContext ctx = CliContext.open()) {
                return action.apply(ctx.getBean(ClientService.class));
            } catch (ClientValidator.InvalidClientException e) {
                throw new CommandFailure(e.getMessage(), 2);
            } catch (ClientService.NoSuchClientException e) {
                throw new CommandFailure(e.getMessage(), 1);
            }
        }

        void print(Client client, String secret) {
            Map<String, Object> view = view(client);
            if (secret != null) {
                view.put("client_secret", secret);
            }
            if (output == OutputFormat.json) {
                Output.json(out(), view);
                return;
            }
            PrintWriter out = out();
            view.forEach((k, v) -> out.printf("%-18s %s%n", k + ":", v instanceof List<?> l ? String.join(" ", toStrings(l)) : v));
            if (secret != null) {
                out.println("(the secret is shown once; Lanyard keeps only its SHA-256 digest)");
            }
            out.flush();
        }
    }

    static Map<String, Object> view(Client c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", c.clientId());
        view.put("name", c.name());
        view.put("grant_types", new ArrayList<>(new TreeSet<>(c.grantTypes())));
        view.put("scopes", new ArrayList<>(new TreeSet<>(c.scopes())));
        view.put("default_scopes", new ArrayList<>(new TreeSet<>(c.defaultScopes())));
        view.put("audiences", new ArrayList<>(new TreeSet<>(c.audiences())));
        view.put("token_lifetime_seconds", c.tokenLifetime() == null ? null : c.tokenLifetime().toSeconds());
        view.put("token_signing_alg", c.tokenSigningAlg());
        view.put("has_secret", c.secretDigest() != null);
        view.put("token_endpoint_auth_method", c.usesMutualTls() ? c.mutualTls().method()
                : c.usesPrivateKeyJwt() ? "private_key_jwt" : c.publicClient() ? "none" : "client_secret_basic");
        if (c.usesMutualTls()) {
            // RFC 8705 section 2.1.2 and 3 metadata names
            view.put("tls_client_auth_subject_dn", c.mutualTls().subjectDn());
            view.put("tls_client_auth_san_dns", c.mutualTls().sanDns());
            view.put("tls_client_auth_san_uri", c.mutualTls().sanUri());
            view.put("tls_client_certificate_x5t#S256", c.mutualTls().certificateX5t());
            view.put("tls_client_certificate_bound_access_tokens", c.mutualTls().boundAccessTokens());
        }
        view.put("jwks", c.jwks());
        view.put("jwks_uri", c.jwksUri());
        view.put("public", c.publicClient());
        view.put("redirect_uris", new ArrayList<>(new TreeSet<>(c.redirectUris())));
        view.put("post_logout_redirect_uris", new ArrayList<>(new TreeSet<>(c.postLogoutRedirectUris())));
        view.put("id_token_lifetime_seconds", c.idTokenLifetime() == null ? null : c.idTokenLifetime().toSeconds());
        view.put("source", c.source());
        return view;
    }

    private static List<String> toStrings(List<?> values) {
        return values.stream().map(String::valueOf).toList();
    }

    /** Client settings as options, shared by create and update. */
    static class Settings {
        @Option(names = "--name", description = "display name")
        String name;
        @Option(names = "--grant-type", split = ",", description = "grant types (default: client_credentials)")
        List<String> grantTypes;
        @Option(names = "--scope", split = ",", description = "scopes the client may be granted")
        List<String> scopes;
        @Option(names = "--default-scope", split = ",", description = "scopes granted when a request names none")
        List<String> defaultScopes;
        @Option(names = "--audience", split = ",", description = "audiences the client may ask for")
        List<String> audiences;
        @Option(names = "--token-lifetime", description = "access-token lifetime, e.g. 600s, 10m, 1h")
        String tokenLifetime;
        @Option(names = "--signing-alg", description = "RS256 or ES256")
        String signingAlg;
        @Option(names = "--redirect-uri", split = ",", description = "redirect URIs for the authorization code flow, "
                + "matched exactly (http://localhost, 127.0.0.1 and [::1] on any port)")
        List<String> redirectUris;
        @Option(names = "--post-logout-redirect-uri", split = ",", description = "where logout may return the browser")
        List<String> postLogoutRedirectUris;
        @Option(names = "--id-token-lifetime", description = "id_token lifetime, e.g. 600s, 10m, 1h")
        String idTokenLifetime;
        @Option(names = "--jwks-file", description = "a JWK set (public keys) for private_key_jwt; "
                + "the client then has no secret")
        Path jwksFile;
        @Option(names = "--jwks-uri", description = "where the client publishes its JWK set for private_key_jwt "
                + "(https, or http on loopback); the client then has no secret")
        String jwksUri;

        boolean setsKeys() {
            return jwksFile != null || jwksUri != null;
        }

        Client applyTo(Client base) {
            Client changed = new Client(base.clientId(), name != null ? name : base.name(), base.secretDigest(),
                    grantTypes != null ? Set.copyOf(grantTypes) : base.grantTypes(),
                    scopes != null ? Set.copyOf(scopes) : base.scopes(),
                    defaultScopes != null ? Set.copyOf(defaultScopes) : base.defaultScopes(),
                    audiences != null ? Set.copyOf(audiences) : base.audiences(),
                    duration("--token-lifetime", tokenLifetime, base.tokenLifetime()),
                    signingAlg != null ? signingAlg : base.tokenSigningAlg(), base.source(),
                    redirectUris != null ? Set.copyOf(redirectUris) : base.redirectUris(),
                    postLogoutRedirectUris != null ? Set.copyOf(postLogoutRedirectUris) : base.postLogoutRedirectUris(),
                    base.publicClient(), duration("--id-token-lifetime", idTokenLifetime, base.idTokenLifetime()),
                    base.jwks(), base.jwksUri(), base.mutualTls());
            if (!setsKeys()) {
                return changed;
            }
            // keys replace whatever the client authenticated with before: a secret, other keys, a TLS certificate
            return changed.withSecretDigest(null).withMutualTls(null)
                    .withKeys(jwksFile == null ? null : readJwks(jwksFile), jwksUri);
        }

        private static String readJwks(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new CommandFailure("--jwks-file: cannot read " + file + ": " + e.getMessage(), 2);
            }
        }

        private static Duration duration(String option, String text, Duration current) {
            if (text == null) {
                return current;
            }
            Duration parsed = io.lanyard.admin.Durations.parse(text);
            if (parsed == null) {
                throw new CommandFailure(option + " must be a duration such as 600s, 10m or 1h", 2);
            }
            return parsed;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a client and print its generated secret (once).")
    static class Create implements Callable<Integer> {
        @Mixin
        Common common;
        @Mixin
        Settings settings;
        @Parameters(index = "0", description = "client id")
        String clientId;
        @Option(names = "--public", description = "a public client (kubelogin, a CLI): no secret, PKCE required")
        boolean publicClient;

        @Override
        public Integer call() {
            Client base = new Client(clientId, clientId, null,
                    Set.of(publicClient ? "authorization_code" : "client_credentials"), Set.of(), Set.of(),
                    Set.of(), null, null, Client.SOURCE_CLI, Set.of(), Set.of(), publicClient, null);
            ClientService.WithSecret created = common.run(s -> s.create(settings.applyTo(base), !publicClient && !settings.setsKeys()));
            common.print(created.client(), created.secret());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List clients.")
    static class ListClients implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            List<Client> clients = common.run(ClientService::list);
            if (common.output == OutputFormat.json) {
                Output.json(common.out(), clients.stream().map(ClientsCommand::view).toList());
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (Client c : clients) {
                    rows.add(List.of(c.clientId(), c.name(), String.join(",", new TreeSet<>(c.grantTypes())),
                            String.join(",", new TreeSet<>(c.audiences())), c.source()));
                }
                Output.table(common.out(), List.of("CLIENT_ID", "NAME", "GRANT_TYPES", "AUDIENCES", "SOURCE"), rows);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one client.")
    static class Show implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            Client client = common.run(s -> s.find(clientId).orElseThrow(() -> new ClientService.NoSuchClientException(clientId)));
            common.print(client, null);
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a client's settings.")
    static class Update implements Callable<Integer> {
        @Mixin
        Common common;
        @Mixin
        Settings settings;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            Client updated = common.run(s -> s.update(clientId, settings::applyTo));
            common.print(updated, null);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a client.")
    static class Delete implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            common.run(s -> {
                s.delete(clientId);
                return null;
            });
            common.out().println("deleted client " + clientId);
            common.out().flush();
            return 0;
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Replace a client's secret and print the new one (once). The old one stops working.")
    static class RotateSecret implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", description = "client id")
        String clientId;

        @Override
        public Integer call() {
            String secret = common.run(s -> s.rotateSecret(clientId));
            Client client = common.run(s -> s.find(clientId).orElseThrow());
            common.print(client, secret);
            return 0;
        }
    }
}
