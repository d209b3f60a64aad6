package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A person as an upstream directory or provider describes them.
 *
 * @param upstreamId stable id in the upstream (Dex's idAttr / userIDKey): with the connector's id,
 *                   what Lanyard's {@code sub} for them is made of
 * @param username   the name the upstream knows them by (an LDAP connector finds them by it again)
 */
public record UpstreamIdentity(String upstreamId, String username, @Nullable String preferredUsername,
                               @Nullable String email, boolean emailVerified, @Nullable String name, List<String> groups) {
    public UpstreamIdentity {
        groups = List.copyOf(groups);
    }
}
