package io.lanyard.cli;

import io.lanyard.config.LanyardConfigException;
import io.lanyard.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "lanyard", mixinStandardHelpOptions = true, version = "Lanyard 0.1.0",
        description = "OpenID Connect provider and OAuth 2.0 token service for Kubernetes.%n"
                + "Without a command, starts the server.",
        subcommands = {ServeCommand.class, KeysCommand.class, ClientsCommand.class, UsersCommand.class,
                GroupsCommand.class, ExchangePoliciesCommand.class, ConfigCommand.class, ConnectorsCommand.class,
                TlsCommand.class, KubeCommand.class})
public class LanyardCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new ServeCommand().call();
    }

    public static CommandLine commandLine() {
        return configure(new CommandLine(new LanyardCommand()));
    }

    /**
     * The server alone ({@code lanyard} or {@code lanyard serve ...}): picocli's model of every admin
     * command is not built, which a start would otherwise pay for (about 0.3 s, measured in
     * BENCHMARKS.md's start-up section). Its arguments come without the leading {@code serve}.
     */
    public static CommandLine serveCommandLine() {
        return configure(new CommandLine(new ServeCommand()));
    }

    private static CommandLine configure(CommandLine cli) {
        cli.registerConverter(Path.class, CallerPaths::resolve);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("lanyard: " + message(e));
            if (Boolean.getBoolean("lanyard.debug")) {
                e.printStackTrace(command.getErr());
            }
            return e instanceof CommandFailure f ? f.exitCode() : isConfig(e) ? 2 : 1;
        });
        return cli;
    }

    /** The one line a person needs: the deepest cause that is ours, else the root cause. */
    static String message(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LanyardConfigException || t instanceof StorageException || t instanceof CommandFailure) {
                return t.getMessage();
            }
            root = t;
        }
        String text = root.getMessage();
        return text == null ? root.getClass().getSimpleName() : text;
    }

    private static boolean isConfig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LanyardConfigException) {
                return true;
            }
        }
        return false;
    }
}
