package io.lanyard.users.oidc;

import io.lanyard.users.UpstreamIdentity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An upstream's claims read as Dex reads them, so a connector moved from Dex describes the same
 * people: the id from {@code userIDKey}, the name from {@code userNameKey} (both required), the email
 * with a boolean {@code email_verified} (required when the {@code email} scope was asked, unless
 * {@code insecureSkipEmailVerified} takes a missing one as true), groups only with {@code insecureEnableGroups}, and
 * {@code claimMapping} for each standard claim the upstream does not send.
 */
final class UpstreamClaims {

    /** The claims do not describe a person the way the configuration says they must. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private UpstreamClaims() {
    }

    static UpstreamIdentity read(Map<String, Object> claims, OidcConfig config) throws Unusable {
        String id = string(claims, config.userIdKey());
        if (id == null || id.isEmpty()) {
            throw new Unusable("the upstream sent no \"" + config.userIdKey() + "\" claim (userIDKey)");
        }
        String name = string(claims, config.userNameKey());
        if (name == null) {
            throw new Unusable("the upstream sent no \"" + config.userNameKey() + "\" claim (userNameKey)");
        }
        OidcConfig.ClaimMapping mapping = config.claimMapping();
        String preferred = mapped(claims, "preferred_username", mapping.preferredUsername(), config);
        boolean emailScope = config.scopes().contains("email");
        Object emailClaim = claims.get(key("email", mapping.email(), claims, config));
        String email = emailClaim instanceof String s ? s : null;
        if (email == null && emailScope) {
            throw new Unusable("the upstream sent no email claim, though the email scope was asked for");
        }
        boolean verified;
        if (claims.get("email_verified") instanceof Boolean b) {
            // an upstream that says "not verified" is believed, insecureSkipEmailVerified or not
            verified = b && email != null;
        } else if (config.insecureSkipEmailVerified()) {
            verified = email != null;
        } else if (emailScope) {
            throw new Unusable("the upstream sent no boolean email_verified claim (insecureSkipEmailVerified "
                    + "accepts the email without it)");
        } else {
            verified = false;
        }
        List<String> groups = config.insecureEnableGroups()
                ? groups(claims.get(key("groups", mapping.groups(), claims, config))) : List.of();
        if (!config.allowedGroups().isEmpty()) {
            groups = groups.stream().filter(config.allowedGroups()::contains).toList();
            if (groups.isEmpty()) {
                throw new Unusable("the person is in none of the connector's allowedGroups");
            }
        }
        // the name Lanyard lists them by: a display name is no handle, so the upstream's username first
        String username = preferred != null ? preferred : email != null ? email : id;
        return new UpstreamIdentity(id, username, preferred, email, verified, name, groups);
    }

    private static String mapped(Map<String, Object> claims, String standard, String mapped, OidcConfig config) {
        return string(claims, key(standard, mapped, claims, config));
    }

    /** The standard claim, unless it is missing or overrideClaimMapping prefers the mapped one. */
    private static String key(String standard, String mapped, Map<String, Object> claims, OidcConfig config) {
        if (config.overrideClaimMapping()) {
            return mapped;
        }
        return claims.containsKey(standard) ? standard : mapped;
    }

    private static String string(Map<String, Object> claims, String key) {
        return claims.get(key) instanceof String s ? s : null;
    }

    /** A list of names, a list of {@code {name: ...}} objects (as some providers send), or one name. */
    private static List<String> groups(Object claim) throws Unusable {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof String one) {
            return List.of(one);
        }
        if (!(claim instanceof Collection<?> list)) {
            throw new Unusable("the groups claim is neither a list nor a string");
        }
        List<String> groups = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof String s) {
                groups.add(s);
            } else if (item instanceof Map<?, ?> object && object.get("name") instanceof String s) {
                groups.add(s);
            } else {
                throw new Unusable("the groups claim holds something that is not a group name");
            }
        }
        return groups;
    }
}
