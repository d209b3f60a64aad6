package io.lanyard.cli;

import io.lanyard.runtime.Settings;
import io.micronaut.context.ApplicationContext;

/** The application without its HTTP server or schedules: database, keys and services only. */
final class CliContext {
    private CliContext() {
    }

    /** After the strict check of every LANYARD_* setting, which Micronaut would bind leniently. */
    static ApplicationContext open() {
        Settings.check();
        return ApplicationContext.builder()
                .environments("cli")
                .deduceEnvironment(false)
                .banner(false)
                .start();
    }
}
