package io.lanyard.cli;

import io.lanyard.clients.Client;
import io.lanyard.clients.ClientSecrets;
import io.lanyard.clients.ClientService;
import io.lanyard.clients.ClientValidator;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    static class Common extends CommandIO {
        @Override
        int keyWidth() {
            return 18;
        }

        @Override
        @Nullable CommandFailure failure(RuntimeException e) {
            if (e instanceof ClientValidator.InvalidClientException) {
                return new CommandFailure(e.getMessage(), 2);
            }
            return e instanceof ClientService.NoSuchClientException ? new CommandFailure(e.getMessage(), 1) : null;
        }

        <T> T run(Function<ClientService, T> action) {
            return inContext(ctx -> action.apply(ctx.getBean(ClientService.class)));
        }

        void print(Client client, @Nullable String secret) {
            Map<String, Object> view = view(client);
            if (secret != null) {
                view.put("client_secret", secret);
            }
            print(view);
            if (secret != null && !json()) {
                say("(the secret is shown once; Lanyard keeps only its SHA-256 digest)");
            }
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
        view.put("access_token_typ", c.accessTokenTyp().value());
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

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a client and print its generated secret (once).")
    static class Create implements Callable<Integer> {
        @Mixin
        Common common;
        @Mixin
        ClientSettings settings;
        @Parameters(index = "0", description = "client id")
        String clientId;
        @Option(names = "--public", description = "a public client (kubelogin, a CLI): no secret, PKCE required")
        boolean publicClient;

        @Override
        public Integer call() {
            Client base = Client.builder(clientId)
                    .grantTypes(Set.of(publicClient ? "authorization_code" : "client_credentials"))
                    .publicClient(publicClient)
                    .build();
            ClientService.WithSecret created = common.run(s -> s.create(settings.applyTo(base), !publicClient && !settings.setsCredential()));
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
            common.printList(common.run(ClientService::list), ClientsCommand::view,
                    List.of("CLIENT_ID", "NAME", "GRANT_TYPES", "AUDIENCES", "SOURCE"),
                    c -> List.of(c.clientId(), c.name(), String.join(",", new TreeSet<>(c.grantTypes())),
                            String.join(",", new TreeSet<>(c.audiences())), c.source()));
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
        ClientSettings settings;
        @Parameters(index = "0", description = "client id")
        String clientId;
        @Option(names = "--rotate-secret", description = "give the client a new generated secret (printed once) "
                + "in place of its secret, keys or TLS certificate")
        boolean rotateSecret;

        @Override
        public Integer call() {
            String secret = rotateSecret ? ClientSecrets.generate() : null;
            String digest = secret == null ? null : ClientSecrets.digest(secret);
            Client updated = common.run(s -> s.update(clientId, c -> settings.applyTo(c, digest)));
            common.print(updated, secret);
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
            String secret = common.run(s -> {
                Client current = s.find(clientId).orElseThrow(() -> new ClientService.NoSuchClientException(clientId));
                if (current.usesMutualTls() || current.usesPrivateKeyJwt()) {
                    // the validator would refuse a secret beside keys or a certificate in its own terms; say what to do
                    throw new CommandFailure("client '" + clientId + "' has no secret to rotate: it authenticates with "
                            + view(current).get("token_endpoint_auth_method") + " ('clients update " + clientId
                            + " --rotate-secret' switches it to a secret)", 2);
                }
                return s.rotateSecret(clientId);
            });
            Client client = common.run(s -> s.find(clientId).orElseThrow());
            common.print(client, secret);
            return 0;
        }
    }
}
