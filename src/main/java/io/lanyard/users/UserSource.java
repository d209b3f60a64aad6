package io.lanyard.users;

import java.util.List;
import java.util.Optional;

/** Where people come from; the database today, LDAP or an upstream OIDC provider later. */
public interface UserSource {

    /** Username matching ignores case. Costs one Argon2id hash whether or not the user exists. */
    PasswordCheck checkPassword(String username, String password);

    Optional<User> findById(String id);

    /** Names of every group the user is in, directly or through nested groups: distinct, sorted, no path prefixes. */
    List<String> groupsOf(String userId);
}
