package io.lanyard.tls;

import io.lanyard.cli.LanyardCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code lanyard tls dev-ca} run in this JVM, as a person would type it. */
public record DevCaRun(int exitCode, String out, String err) {

    static DevCaRun run(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("tls", "dev-ca", "--out", dir.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = LanyardCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new DevCaRun(code, out.toString(), err.toString());
    }

    /** Runs it and insists it worked. */
    public static DevCaRun ok(Path dir, String... args) {
        DevCaRun run = run(dir, args);
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }
}
