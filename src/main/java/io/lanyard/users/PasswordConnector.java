package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A directory that checks a typed username and password itself (LDAP, Active Directory): a
 * password connector shares the login form with Lanyard's own users.
 */
public interface PasswordConnector {

    /** The connector's id from the declarative file: part of its users' {@code sub}, never reused. */
    String id();

    /** The directory's verdict on a typed username and password. */
    Login login(String username, String password) throws ConnectorUnavailableException;

    /**
     * The person as the directory has them now, found by the username they logged in with, without
     * their password: a refresh re-checks that they still exist and what groups they are in.
     */
    Login lookup(String username) throws ConnectorUnavailableException;

    /** What a directory answered. */
    sealed interface Login permits Accepted, Refused {
    }

    /** The person, as the directory describes them. */
    record Accepted(UpstreamIdentity identity) implements Login {
    }

    /** No such person, or a wrong or empty password: the login page says the same for each. */
    record Refused(String reason) implements Login {
    }

    /**
     * A person as an upstream directory or provider describes them.
     *
     * @param upstreamId stable id in the upstream (Dex's idAttr / userIDKey): with the connector's id,
     *                   what Lanyard's {@code sub} for them is made of
     * @param username   the name they log in with, as the upstream spells it
     */
    record UpstreamIdentity(String upstreamId, String username, @Nullable String preferredUsername,
                            @Nullable String email, boolean emailVerified, @Nullable String name, List<String> groups) {
        public UpstreamIdentity {
            groups = List.copyOf(groups);
        }
    }
}
