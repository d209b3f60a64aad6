package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

/**
 * A named set of users and other groups. The name is what tokens carry in {@code groups}.
 *
 * @param source {@code cli} or {@code config} (owned by the declarative file)
 */
public record Group(String name, @Nullable String description, String source) {
}
