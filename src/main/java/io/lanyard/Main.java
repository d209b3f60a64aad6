package io.lanyard;

import io.lanyard.cli.LanyardCommand;
import io.lanyard.keys.CryptoProvider;
import io.lanyard.runtime.ClassPreloader;

/** One jar, two roles: {@code serve} (the default) runs the server, the other commands administer it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // H2's AUTO_SERVER (which lets the CLI reach a running dev server's database) listens on
        // loopback only.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        boolean serving = args.length == 0 || "serve".equals(args[0]);
        if (serving) {
            ClassPreloader.startInBackground();
            // Loading AWS-LC and its self-tests takes a few hundred ms: do it beside the context start.
            Thread warm = new Thread(() -> CryptoProvider.select("auto"), "crypto-preload");
            warm.setDaemon(true);
            warm.start();
        } else if (System.getProperty("lanyard.log.level") == null && System.getenv("LANYARD_LOG_LEVEL") == null) {
            System.setProperty("lanyard.log.level", "WARN");
        }
        int code = serving
                ? LanyardCommand.serveCommandLine().execute(args.length == 0 ? args
                        : java.util.Arrays.copyOfRange(args, 1, args.length))
                : LanyardCommand.commandLine().execute(args);
        if (code != 0 || !serving || java.util.Arrays.asList(args).contains("--exit-after-start")) {
            System.exit(code);
        }
    }
}
