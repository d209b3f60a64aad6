package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

/**
 * A user row with what only administration needs.
 *
 * @param passwordHash       PHC Argon2id string; null when the user has no password
 * @param configPasswordHash the {@code passwordHash} the declarative file last set (see V2 migration)
 * @param source             {@code cli} or {@code config} (owned by the declarative file)
 */
public record StoredUser(User user, @Nullable String passwordHash, @Nullable String configPasswordHash,
                         String source) {

    public static final String SOURCE_CLI = "cli";
    public static final String SOURCE_CONFIG = "config";
    /** A person from a connector (LDAP, upstream OpenID Connect): the connector owns their name and email. */
    public static final String SOURCE_CONNECTOR = "connector";

    public boolean hasPassword() {
        return passwordHash != null;
    }

    @Override
    public String toString() {
        // hashes stay out of logs and exception messages
        return "StoredUser[" + user + ", source=" + source + "]";
    }
}
