package io.lanyard.token;

import io.lanyard.users.User;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Set;

/**
 * What a person authorized a client to have, carried from the login (an authorization code, a
 * refresh family) to the tokens issued for it.
 *
 * @param authTime when the person last authenticated (OIDC {@code auth_time})
 * @param nonce    the authorization request's nonce, echoed in the id_token; null after a refresh
 */
public record UserAuthorization(User user, Set<String> scope, Instant authTime, @Nullable String nonce) {
    public UserAuthorization {
        scope = Set.copyOf(scope);
    }
}
