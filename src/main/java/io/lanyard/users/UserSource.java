package io.lanyard.users;

import java.util.List;
import java.util.Optional;

/** Where people come from; the database today, LDAP or an upstream OIDC provider later. */
public interface UserSource {
    PasswordCheck checkPassword(String username, String password);

    Optional<User> findById(String id);

    List<String> groupsOf(String userId);
}
