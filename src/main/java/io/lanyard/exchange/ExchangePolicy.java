package io.lanyard.exchange;

import java.util.Set;

/**
 * What one client may do at the token-exchange grant (RFC 8693).
 *
 * @param audiences         the audiences it may ask tokens for
 * @param scopes            the most a new token may carry (and never more than the subject token had)
 * @param impersonation     may exchange without an actor_token, so the new token names no actor
 * @param subjectIssuers    whose tokens it may present: {@link #SELF} for Lanyard's own, else issuer URLs
 * @param mayOutliveSubject the new token gets the client's access-token lifetime from now instead of
 *                          expiring with the subject token (for work that goes on after the user's token ends)
 * @param source            {@code config} (the declarative file owns it) or {@code cli}
 */
public record ExchangePolicy(String clientId, Set<String> audiences, Set<String> scopes, boolean impersonation,
                             Set<String> subjectIssuers, boolean mayOutliveSubject, String source) {
    public static final String SELF = "self";

    public ExchangePolicy {
        audiences = Set.copyOf(audiences);
        scopes = Set.copyOf(scopes);
        subjectIssuers = Set.copyOf(subjectIssuers);
    }

    /** A policy whose tokens expire with their subject token, the default. */
    public ExchangePolicy(String clientId, Set<String> audiences, Set<String> scopes, boolean impersonation,
                          Set<String> subjectIssuers, String source) {
        this(clientId, audiences, scopes, impersonation, subjectIssuers, false, source);
    }
}
