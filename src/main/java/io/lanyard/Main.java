package io.lanyard;

import io.lanyard.cli.LanyardCommand;
import picocli.CommandLine;

/** One jar, two roles: {@code serve} (the default) runs the server, the other commands administer it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // H2's AUTO_SERVER (which lets the CLI reach a running dev server's database) listens on
        // loopback only.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        boolean serving = args.length == 0 || "serve".equals(args[0]);
        if (!serving && System.getProperty("lanyard.log.level") == null) {
            System.setProperty("lanyard.log.level", "WARN");
        }
        int code = LanyardCommand.commandLine().execute(args);
        if (code != 0 || !serving) {
            System.exit(code);
        }
    }
}
