package io.lanyard.jwt;

import io.lanyard.users.User;

import java.util.List;
import java.util.Set;

/**
 * The claims a scope releases about a person (OIDC Core 5.4), the same in the id_token and at
 * userinfo. {@code groups} is always an array, even of one or none: kube-apiserver takes both,
 * other verifiers do not.
 */
public final class UserClaims {
    private UserClaims() {
    }

    public static void write(ClaimsWriter claims, User user, List<String> groups, Set<String> scope) {
        if (scope.contains("profile")) {
            claims.string("preferred_username", user.username());
            if (user.displayName() != null) {
                claims.string("name", user.displayName());
            }
        }
        if (scope.contains("email") && user.email() != null) {
            claims.string("email", user.email());
            claims.bool("email_verified", user.emailVerified());
        }
        if (scope.contains("groups")) {
            claims.strings("groups", groups);
        }
    }
}
