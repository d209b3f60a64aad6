package io.lanyard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the command line in this JVM with the given settings as system properties. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, Object> settings, String... args) {
        settings.forEach((k, v) -> System.setProperty(k, String.valueOf(v)));
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var cli = LanyardCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }
}
