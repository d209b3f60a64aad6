package io.lanyard.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the subcommands of one group share, as a picocli mixin: {@code -o table|json}, the output
 * stream, printing one object or a list, and running against the services with the group's own
 * failures turned into exit codes (2 for bad input, 1 for something that does not exist).
 */
abstract class CommandIO {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;
    @Option(names = {"-o", "--output"}, description = "table or json", defaultValue = "table")
    OutputFormat output;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    boolean json() {
        return output == OutputFormat.json;
    }

    void say(String line) {
        out().println(line);
        out().flush();
    }

    /** A note on standard error, e.g. that the declarative file will undo a change. */
    void note(String line) {
        spec.commandLine().getErr().println("note: " + line);
        spec.commandLine().getErr().flush();
    }

    /** The column the values start in for {@link #print(Map)}: most of the group's keys fit before it. */
    int keyWidth() {
        return 16;
    }

    /** The failure this group's {@code e} means to the person at the terminal, or null for a bug. */
    abstract @Nullable CommandFailure failure(RuntimeException e);

    <T> T inContext(Function<ApplicationContext, T> action) {
        try (ApplicationContext ctx = CliContext.open()) {
            return action.apply(ctx);
        } catch (RuntimeException e) {
            CommandFailure failure = failure(e);
            throw failure == null ? e : failure;
        }
    }

    /** One object as aligned "key: value" lines (a list joined by spaces, nothing as "-"), or JSON. */
    void print(Map<String, Object> view) {
        if (json()) {
            Output.json(out(), view);
            return;
        }
        String line = "%-" + keyWidth() + "s %s%n";
        view.forEach((k, v) -> out().printf(line, k + ":", text(v)));
        out().flush();
    }

    /** Many objects: a table with one row each, or a JSON array of their views. */
    <T> void printList(List<T> items, Function<T, Map<String, Object>> view, List<String> header,
                       Function<T, List<String>> row) {
        if (json()) {
            Output.json(out(), items.stream().map(view).toList());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (T item : items) {
            rows.add(row.apply(item));
        }
        Output.table(out(), header, rows);
    }

    private static String text(@Nullable Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "-" : String.join(" ", list.stream().map(String::valueOf).toList());
        }
        return value == null ? "-" : value.toString();
    }
}
