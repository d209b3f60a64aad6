package io.lanyard.cli;

import io.lanyard.runtime.Settings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;

/** The application without its HTTP server or schedules: database, keys and services only. */
final class CliContext {
    private CliContext() {
    }

    /** After the strict check of every LANYARD_* setting, which Micronaut would bind leniently. */
    static ApplicationContext open() {
        return open(null);
    }

    /** As {@link #open()}, for a command that reads a declarative file: its secrets' variables are allowed. */
    static ApplicationContext open(@Nullable Path file) {
        Settings.check(file);
        return ApplicationContext.builder()
                .environments("cli")
                .deduceEnvironment(false)
                .banner(false)
                .start();
    }
}
