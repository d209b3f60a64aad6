package io.lanyard.cli;

import io.lanyard.admin.ConfigFileParser;
import io.lanyard.admin.DeclarativeConfig;
import io.lanyard.admin.ParsedConfig;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Check or apply a declarative YAML file.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Apply.class})
public class ConfigCommand {

    /** The file argument, and reading it with the application's parser (file:line:field errors, exit 2). */
    static class FileArgument {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        @Parameters(index = "0", description = "the YAML file")
        Path file;

        /**
         * Parses the file (its secrets' variables must be set when {@code secretsRequired}; else an unset one
         * is a warning on standard error), then hands it with the context to {@code then}; prints what that returns.
         */
        int parse(boolean secretsRequired, BiFunction<ApplicationContext, ParsedConfig, String> then) {
            try (ApplicationContext ctx = CliContext.open(file)) {
                ConfigFileParser parser = ctx.getBean(ConfigFileParser.class);
                ParsedConfig parsed = secretsRequired ? parser.parse(file) : parser.check(file);
                parsed.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                spec.commandLine().getErr().flush();
                spec.commandLine().getOut().println(then.apply(ctx, parsed));
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a file; change nothing. "
            + "Unset secretFromEnv and passwordFromEnv variables are warnings, so a CI job can check a file "
            + "without its secrets.")
    static class Check implements Callable<Integer> {
        @Mixin
        FileArgument file;
        @Option(names = "--strict", description = "every secretFromEnv and passwordFromEnv variable must be set, "
                + "as when the file is applied")
        boolean strict;

        /** Validation only: no database connection, so no migration either. */
        @Override
        public Integer call() {
            return file.parse(strict, (ctx, parsed) -> file.file + ": valid, " + parsed.clients().size() + " client(s), "
                    + parsed.users().size() + " user(s), " + parsed.groups().size() + " group(s)"
                    + (parsed.trustedIssuers().isEmpty() ? "" : ", " + parsed.trustedIssuers().size()
                    + " trusted issuer(s)")
                    + (parsed.connectors().isEmpty() ? "" : ", " + parsed.connectors().size() + " connector(s)"));
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply a file: create and update the clients, users and groups it names, delete those it "
                    + "created but no longer names.")
    static class Apply implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Override
        public Integer call() {
            return file.parse(true, (ctx, parsed) -> {
                DeclarativeConfig.Result result = ctx.getBean(DeclarativeConfig.class).apply(parsed);
                // servers read trusted issuers from LANYARD_CONFIG at start only
                return file.file + ": " + result + (parsed.trustedIssuers().isEmpty() ? ""
                        : System.lineSeparator() + "trustedIssuers take effect when the servers restart");
            });
        }
    }
}
