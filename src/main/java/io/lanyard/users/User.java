package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

public record User(String id, String username, @Nullable String email, boolean emailVerified,
                   @Nullable String displayName, boolean disabled) {
}
