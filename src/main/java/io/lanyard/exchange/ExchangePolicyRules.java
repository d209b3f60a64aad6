package io.lanyard.exchange;

import io.lanyard.clients.Client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The rules a policy must follow, whether it comes from the declarative file or the CLI. Each
 * rule is its own method so the file parser can point at the line of the field that broke it.
 */
public final class ExchangePolicyRules {
    private ExchangePolicyRules() {
    }

    /** A rule a policy breaks; {@link #field()} is the policy field as the file names it. */
    public static final class InvalidPolicyException extends RuntimeException {
        private final String field;

        public InvalidPolicyException(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The same test TokenExchangeGrant makes, so no policy is written that the grant would never use. */
    public static void client(Client client) {
        if (client.publicClient()) {
            throw new InvalidPolicyException("client", "only a confidential client may exchange tokens (a public "
                    + "client has no credential to prove who it is)");
        }
    }

    public static void audiences(Set<String> audiences) {
        if (audiences.isEmpty()) {
            throw new InvalidPolicyException("audiences", "name at least one audience");
        }
        noSpaces("audiences", audiences);
    }

    public static void scopes(Set<String> scopes) {
        noSpaces("scopes", scopes);
    }

    /** @return the issuers, or only Lanyard itself when none are named */
    public static Set<String> subjectIssuers(Set<String> issuers) {
        noSpaces("subjectIssuers", issuers);
        for (String issuer : issuers) {
            if (!issuer.equals(ExchangePolicy.SELF) && !isUrl(issuer)) {
                throw new InvalidPolicyException("subjectIssuers", "'" + issuer + "' must be 'self' or an issuer URL");
            }
        }
        return issuers.isEmpty() ? Set.of(ExchangePolicy.SELF) : issuers;
    }

    /** Every rule, for a policy made in one piece (the CLI); returns it with the default issuer filled in. */
    public static ExchangePolicy check(ExchangePolicy policy, Client client) {
        client(client);
        audiences(policy.audiences());
        scopes(policy.scopes());
        return new ExchangePolicy(policy.clientId(), policy.audiences(), policy.scopes(), policy.impersonation(),
                subjectIssuers(policy.subjectIssuers()), policy.mayOutliveSubject(), policy.source());
    }

    /** Lists are stored space-separated, and no scope, audience or issuer URL has a space in it. */
    private static void noSpaces(String field, Set<String> values) {
        for (String value : values) {
            if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidPolicyException(field, "'" + value + "' must be non-empty and have no spaces");
            }
        }
    }

    private static boolean isUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
