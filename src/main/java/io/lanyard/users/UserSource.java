package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Optional;

/** Where people come from; the database today, LDAP or an upstream OIDC provider later. */
public interface UserSource {

    /**
     * Lanyard's own users: username matching ignores case. Costs one Argon2id hash whether or not the
     * user exists; {@link PasswordCheck.UnknownUser} sends the caller on to {@link #checkConnectors}.
     */
    PasswordCheck checkPassword(String username, String password);

    /**
     * Someone Lanyard does not know, checked by the password connectors ({@code connectorId}'s alone, or
     * each in turn when null); {@link PasswordCheck.UnknownUser} when none knows them.
     */
    default PasswordCheck checkConnectors(String username, String password, @Nullable String connectorId) {
        return new PasswordCheck.UnknownUser();
    }

    /** Dex's name for the users a server keeps itself, in {@code connector_id}. */
    String LOCAL = "local";

    Optional<User> findById(String id);

    /** Names of every group the user is in, directly or through nested groups: distinct, sorted, no path prefixes. */
    List<String> groupsOf(String userId);
}
