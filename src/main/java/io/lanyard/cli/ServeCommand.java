package io.lanyard.cli;

import io.lanyard.config.LanyardProperties;
import io.lanyard.runtime.Settings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the server (the default). Configured by environment variables; see README.")
public class ServeCommand implements Callable<Integer> {

    /** Start fully, then stop: the build's class-data-sharing training run (see pom.xml). */
    @Option(names = "--exit-after-start", hidden = true)
    boolean exitAfterStart;

    @Override
    public Integer call() {
        Settings.check();
        ApplicationContext context = ApplicationContext.builder()
                .mainClass(ServeCommand.class)
                .deduceEnvironment(false)
                .banner(false)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(context::close, "lanyard-shutdown"));
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            LoggerFactory.getLogger(ServeCommand.class).info("Lanyard ready on {} (issuer {}) in {} ms",
                    server.getURL(), context.getBean(LanyardProperties.class).issuer(), uptime);
            if (exitAfterStart) {
                context.close();
            }
            return 0;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }
}
