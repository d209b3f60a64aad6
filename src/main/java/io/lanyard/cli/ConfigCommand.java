package io.lanyard.cli;

import io.lanyard.admin.ConfigFileParser;
import io.lanyard.admin.DeclarativeConfig;
import io.lanyard.admin.ParsedConfig;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Check or apply a declarative YAML file.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Apply.class})
public class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a file; change nothing.")
    static class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "the YAML file")
        Path file;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open()) {
                // validation only: no database connection, so no migration either
                ParsedConfig parsed = ctx.getBean(ConfigFileParser.class).parse(file);
                spec.commandLine().getOut().println(file + ": valid, " + parsed.clients().size() + " client(s), "
                        + parsed.users().size() + " user(s), " + parsed.groups().size() + " group(s)"
                        + (parsed.trustedIssuers().isEmpty() ? "" : ", " + parsed.trustedIssuers().size()
                        + " trusted issuer(s)"));
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply a file: create and update the clients, users and groups it names, delete those it no "
                    + "created but no longer names.")
    static class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "the YAML file")
        Path file;

        @Override
        public Integer call() {
            try (ApplicationContext ctx = CliContext.open()) {
                ParsedConfig parsed = ctx.getBean(ConfigFileParser.class).parse(file);
                DeclarativeConfig.Result result = ctx.getBean(DeclarativeConfig.class).apply(parsed);
                spec.commandLine().getOut().println(file + ": " + result);
                if (!parsed.trustedIssuers().isEmpty()) {
                    // servers read trusted issuers from LANYARD_CONFIG at start only
                    spec.commandLine().getOut().println("trustedIssuers take effect when the servers restart");
                }
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}
