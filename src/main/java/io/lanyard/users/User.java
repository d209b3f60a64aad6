package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

/**
 * A person who can log in.
 *
 * @param id       stable opaque id (128 random bits, base64url): the {@code sub} of their tokens;
 *                 it survives a rename and is never given to anyone else
 * @param username unique regardless of case; what they type on the login page
 */
public record User(String id, String username, @Nullable String email, boolean emailVerified,
                   @Nullable String displayName, boolean disabled) {
}
