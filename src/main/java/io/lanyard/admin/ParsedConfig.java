package io.lanyard.admin;

import io.lanyard.clients.Client;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.federation.TrustedIssuer;
import io.lanyard.users.ConnectorSettings;
import io.lanyard.users.Group;
import io.lanyard.users.User;
import io.lanyard.users.ldap.LdapConfig;
import io.lanyard.users.oidc.OidcConfig;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Set;

/**
 * A validated declarative file: what it declares, with the lines errors found at apply time point to.
 *
 * @param warnings what a check without the secrets could not verify ({@code secretFromEnv} and
 *                 {@code passwordFromEnv} variables that are unset); empty when the file was parsed to be applied
 */
public record ParsedConfig(String file, List<Client> clients, List<DeclaredUser> users, List<DeclaredGroup> groups,
                           List<TrustedIssuer> trustedIssuers, List<ExchangePolicy> exchangePolicies,
                           List<DeclaredConnector> connectors, List<String> warnings) {

    public ParsedConfig {
        clients = List.copyOf(clients);
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        trustedIssuers = List.copyOf(trustedIssuers);
        exchangePolicies = List.copyOf(exchangePolicies);
        connectors = List.copyOf(connectors);
        warnings = List.copyOf(warnings);
    }

    public ParsedConfig(String file, List<Client> clients, List<DeclaredUser> users, List<DeclaredGroup> groups,
                        List<TrustedIssuer> trustedIssuers, List<ExchangePolicy> exchangePolicies) {
        this(file, clients, users, groups, trustedIssuers, exchangePolicies, List.of(), List.of());
    }

    public ParsedConfig(String file, List<Client> clients, List<DeclaredUser> users, List<DeclaredGroup> groups) {
        this(file, clients, users, groups, List.of(), List.of());
    }

    /**
     * A user the file owns. {@code user.id()} is null: ids are made by Lanyard, never declared.
     *
     * @param passwordHash a PHC Argon2id string, stored as it is
     * @param password     the password read from {@code passwordFromEnv}; hashed when applied
     * @param groups       the groups the user is a direct member of, all defined in the same file
     */
    public record DeclaredUser(User user, @Nullable String passwordHash, @Nullable String password,
                               Set<String> groups, int line) {
        public DeclaredUser {
            groups = Set.copyOf(groups);
        }

        @Override
        public String toString() {
            return "DeclaredUser[" + user.username() + " at line " + line + "]";
        }
    }

    /**
     * @param groups          the groups this group is a direct member of, all defined in the same file
     * @param upstreamMembers connectors' groups (as tokens carry them, prefix included) whose people are members
     */
    public record DeclaredGroup(Group group, Set<String> groups, Set<String> upstreamMembers, int line) {
        public DeclaredGroup {
            groups = Set.copyOf(groups);
            upstreamMembers = Set.copyOf(upstreamMembers);
        }
    }

    /** An upstream directory people log in with: Lanyard's settings and, for {@code type: ldap}, Dex's config. */
    /** A connector of the file: exactly one of {@code ldap} and {@code oidc} is set. */
    public record DeclaredConnector(ConnectorSettings settings, @Nullable LdapConfig ldap, @Nullable OidcConfig oidc,
                                    int line) {
    }
}
