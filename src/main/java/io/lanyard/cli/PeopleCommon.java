package io.lanyard.cli;

import io.lanyard.users.InvalidEntryException;
import io.lanyard.users.NoSuchGroupException;
import io.lanyard.users.NoSuchUserException;
import io.lanyard.users.StoredUser;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the users and groups subcommands share: output format, services, readable failures. */
class PeopleCommon {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;
    @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
    OutputFormat output;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    <T> T run(Function<ApplicationContext, T> action) {
        try (ApplicationContext ctx = CliContext.open()) {
            return action.apply(ctx);
        } catch (InvalidEntryException e) {
            throw new CommandFailure(e.getMessage(), 2);
        } catch (NoSuchUserException | NoSuchGroupException e) {
            throw new CommandFailure(e.getMessage(), 1);
        }
    }

    void say(String line) {
        out().println(line);
        out().flush();
    }

    /** A change the next apply of the declarative file will undo deserves a word. */
    void warnIfFromFile(StoredUser user) {
        if (StoredUser.SOURCE_CONFIG.equals(user.source())) {
            spec.commandLine().getErr().println("note: user '" + user.user().username() + "' comes from the "
                    + "declarative file; applying the file again brings it back in line with the file");
        }
    }

    /** One object as "key: value" lines, or JSON. */
    void print(Map<String, Object> view) {
        if (output == OutputFormat.json) {
            Output.json(out(), view);
            return;
        }
        view.forEach((k, v) -> out().printf("%-16s %s%n", k + ":", v == null ? "-"
                : v instanceof List<?> l ? (l.isEmpty() ? "-" : String.join(" ", l.stream().map(String::valueOf).toList()))
                : v));
        out().flush();
    }
}
