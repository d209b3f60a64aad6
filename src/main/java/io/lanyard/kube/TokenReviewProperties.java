package io.lanyard.kube;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * The TokenReview webhook ({@code lanyard.token-review.*}): which clients may call it (each a cluster's
 * kube-apiserver, accepting the id_tokens of the clients it names in its {@code audiences}), and how
 * a token becomes a user, as {@code lanyard kube apiserver-config} would have the apiserver make it.
 *
 * @param clients         the clients that may call the webhook; none, and it answers no one
 * @param usernameClaim   email, sub or preferred_username
 * @param usernamePrefix  put before every username ({@code lanyard:}; empty for none)
 * @param groupsPrefix    put before every group ({@code lanyard:}; empty for none)
 */
@ConfigurationProperties("lanyard.token-review")
public record TokenReviewProperties(@Nullable List<String> clients, @Nullable String usernameClaim,
                                    @Nullable String usernamePrefix, @Nullable String groupsPrefix) {

    public TokenReviewProperties {
        clients = clients == null ? List.of() : clients.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    }

    /** The claims and prefixes; the defaults are the apiserver-config's. */
    public ClaimNames claims() {
        return new ClaimNames(usernameClaim == null ? "email" : usernameClaim,
                usernamePrefix == null ? ClaimNames.DEFAULT_PREFIX : usernamePrefix, "groups",
                groupsPrefix == null ? ClaimNames.DEFAULT_PREFIX : groupsPrefix);
    }
}
