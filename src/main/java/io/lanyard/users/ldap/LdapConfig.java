package io.lanyard.users.ldap;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * An LDAP connector's {@code config}, with Dex's field names and meanings, so a team's Dex
 * {@code connectors:} block carries over as it is. Parsed and checked by the declarative file's parser.
 *
 * @param host            {@code host[:port]}; without a port 389 with {@code insecureNoSSL}, else 636 (as Dex)
 * @param insecureNoSSL   plain LDAP, no TLS at all
 * @param startTLS        plain LDAP upgraded with StartTLS (RFC 4513 3) before the first bind
 * @param rootCAData      PEM of the CA that signed the directory's certificate (from {@code rootCA}'s
 *                        file or {@code rootCAData}); null for the JDK's trusted CAs
 * @param bindDN          the service account that searches; null with {@code bindPW} for an anonymous search
 * @param timeout         connect and response timeout of each directory operation (Lanyard's own setting)
 */
public record LdapConfig(String host, boolean insecureNoSSL, boolean insecureSkipVerify, boolean startTLS,
                         @Nullable String rootCAData, @Nullable String bindDN, @Nullable String bindPW,
                         @Nullable String usernamePrompt, UserSearch userSearch, @Nullable GroupSearch groupSearch,
                         Duration timeout) {

    /** Dex's {@code sub} (subtree, the default) or {@code one} (the base's children). */
    public enum Scope { SUB, ONE }

    /**
     * @param username  the attributes matched against what the person typed (any of them)
     * @param idAttr    the stable id of the entry ({@code DN} for the entry's DN)
     * @param emailSuffix with it, the email is the {@code nameAttr} value, {@code @}, and the suffix (as Dex)
     */
    public record UserSearch(String baseDN, @Nullable String filter, List<String> username, Scope scope, String idAttr,
                             @Nullable String emailAttr, @Nullable String nameAttr,
                             @Nullable String preferredUsernameAttr, @Nullable String emailSuffix) {
        public UserSearch {
            username = List.copyOf(username);
        }
    }

    /**
     * @param userMatchers how a group names its members: {@code member}/{@code uniqueMember} holding the
     *                     user's DN ({@code userAttr: DN}), {@code memberUid} holding their uid, or Active
     *                     Directory's {@code member:1.2.840.113556.1.4.1941:} for nested groups
     */
    public record GroupSearch(String baseDN, @Nullable String filter, Scope scope, List<UserMatcher> userMatchers,
                              String nameAttr) {
        public GroupSearch {
            userMatchers = List.copyOf(userMatchers);
        }
    }

    /**
     * @param recursionGroupAttr with it, groups whose {@code recursionGroupAttr} names a group found are
     *                           found too, level by level (nested groups on any directory)
     */
    public record UserMatcher(String userAttr, String groupAttr, @Nullable String recursionGroupAttr) {
    }

    /** Dex's default ports: 389 for plain LDAP, 636 otherwise (also with StartTLS, as Dex's code does). */
    public int port() {
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            return Integer.parseInt(host.substring(colon + 1));
        }
        return insecureNoSSL ? 389 : 636;
    }

    public String hostName() {
        int colon = host.lastIndexOf(':');
        String name = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }
}
