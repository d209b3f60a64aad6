package io.lanyard.cli;

import io.micronaut.context.ApplicationContext;

/** The application without its HTTP server or schedules: database, keys and services only. */
final class CliContext {
    private CliContext() {
    }

    static ApplicationContext open() {
        return ApplicationContext.builder()
                .environments("cli")
                .deduceEnvironment(false)
                .banner(false)
                .start();
    }
}
