package io.lanyard.cli;

import io.lanyard.admin.ConfigFileException;
import io.lanyard.admin.ConfigFileParser;
import io.lanyard.admin.ParsedConfig;
import io.lanyard.config.LanyardProperties;
import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.UpstreamIdentity;
import io.lanyard.users.FederatedUsers;
import io.lanyard.users.PasswordConnector;
import io.lanyard.users.ldap.LdapConnector;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = "Check the upstream directories of the declarative file's connectors: block.",
        subcommands = {ConnectorsCommand.Test.class})
public class ConnectorsCommand {

    /** Errors a person at the terminal can act on; exit code 2. */
    static final class Common extends CommandIO {
        @Override
        @Nullable
        CommandFailure failure(RuntimeException e) {
            if (e instanceof ConfigFileException || e instanceof CommandFailure) {
                return e instanceof CommandFailure failure ? failure : new CommandFailure(e.getMessage(), 2);
            }
            return null;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, description = "Ask a live LDAP connector about a person, "
            + "as a refresh does (service-account bind, user search, groups; not their password), and print what their "
            + "id_token would carry.")
    static class Test implements Callable<Integer> {
        @Mixin
        Common io;
        @Parameters(index = "0", description = "the connector's id")
        String id;
        @Option(names = "--username", required = true, description = "the name the person logs in with")
        String username;
        @Option(names = "--config", description = "the declarative file (default: LANYARD_CONFIG)")
        @Nullable
        Path config;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open(config)) {
                Path file = config != null ? config : configured(ctx);
                ParsedConfig parsed = ctx.getBean(ConfigFileParser.class).parse(file);
                ParsedConfig.DeclaredConnector declared = parsed.connectors().stream()
                        .filter(c -> c.settings().id().equals(id)).findFirst()
                        .orElseThrow(() -> new CommandFailure(file + " has no connector '" + id + "' (it has "
                                + parsed.connectors().stream().map(c -> c.settings().id()).toList() + ")", 2));
                if (declared.ldap() == null) {
                    // an upstream OpenID provider tells about a person only when they sign in there
                    throw new CommandFailure("connector " + id + " is an upstream OpenID provider: it cannot be asked "
                            + "about a person without their sign-in; sign in through its button instead", 2);
                }
                PasswordConnector.Login login;
                try (LdapConnector ldap = new LdapConnector(id, declared.ldap())) {
                    login = ldap.lookup(username);
                } catch (ConnectorUnavailableException e) {
                    throw new CommandFailure("connector " + id + ": " + e.getMessage(), 2);
                }
                if (!(login instanceof PasswordConnector.Accepted accepted)) {
                    throw new CommandFailure("connector " + id + " finds no one named '" + username + "'", 2);
                }
                UpstreamIdentity person = accepted.identity();
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("upstream_id", person.upstreamId());
                view.put("sub", FederatedUsers.idOf(id, person.upstreamId()));
                view.put("preferred_username", person.preferredUsername());
                view.put("name", person.name());
                view.put("email", person.email());
                view.put("email_verified", person.emailVerified());
                view.put("groups", declared.settings().groups(person.groups()));
                io.print(view);
                return 0;
            } catch (RuntimeException e) {
                CommandFailure failure = io.failure(e);
                throw failure == null ? e : failure;
            }
        }

        private static Path configured(ApplicationContext ctx) {
            String file = ctx.getBean(LanyardProperties.class).config();
            if (file == null || file.isBlank()) {
                throw new CommandFailure("no declarative file: pass --config FILE or set LANYARD_CONFIG", 2);
            }
            return Path.of(file);
        }
    }
}
