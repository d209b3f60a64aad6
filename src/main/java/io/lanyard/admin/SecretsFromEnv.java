package io.lanyard.admin;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The {@code secretFromEnv} and {@code passwordFromEnv} variables of one parse. Applying a file needs
 * them all; checking its shape (a CI job that holds none of the secrets) does not, and then an unset
 * one is a warning, not an error.
 */
final class SecretsFromEnv {
    private final UnaryOperator<String> environment;
    private final boolean required;
    private final List<String> warnings = new ArrayList<>();

    SecretsFromEnv(UnaryOperator<String> environment, boolean required) {
        this.environment = environment;
        this.required = required;
    }

    /** The variable's value; when it is unset, {@code unset}'s error, or null and a warning when not required. */
    @Nullable
    String read(String variable, Supplier<ConfigFileException> unset) {
        String value = environment.apply(variable);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        ConfigFileException error = unset.get();
        if (required) {
            throw error;
        }
        warnings.add(error.getMessage() + " (the file's shape was checked without it)");
        return null;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
