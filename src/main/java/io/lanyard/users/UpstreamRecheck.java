package io.lanyard.users;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A refresh asks the connector a federated person came through about them again, as Dex does: someone
 * removed from the directory loses access at their next refresh, someone moved between groups gets
 * the new groups. A directory is asked by name; an upstream OpenID provider by the refresh token the
 * person's latest login left. Lanyard's own users are current by definition.
 */
@Singleton
public class UpstreamRecheck {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRecheck.class);

    /** What the upstream says of the person now. */
    public sealed interface Result permits Current, Gone, Unreachable {
    }

    /** Still there; their name, email and groups as of now. */
    public record Current(User user) implements Result {
    }

    /**
     * No longer there (or disabled, or another entry under their name): their grant ends. With
     * {@code revoke} false only this refresh is refused: their connector is no longer configured, which
     * may be a renamed id, so nothing is destroyed that a corrected file would want back.
     */
    public record Gone(String reason, boolean revoke) implements Result {
        public Gone(String reason) {
            this(reason, true);
        }
    }

    /** The upstream did not answer: nothing is concluded, and their grant is kept. */
    public record Unreachable(String reason) implements Result {
    }

    private final FederatedUsers federated;
    private final Connectors connectors;
    private final UpstreamTokens tokens;

    public UpstreamRecheck(FederatedUsers federated, Connectors connectors, UpstreamTokens tokens) {
        this.federated = federated;
        this.connectors = connectors;
        this.tokens = tokens;
    }

    public Result recheck(User user) {
        Optional<FederatedUsers.Link> link = federated.linkOf(user.id());
        if (link.isEmpty()) {
            return new Current(user);
        }
        Connectors.Configured configured = connectors.find(link.get().connectorId()).orElse(null);
        if (configured == null) {
            return new Gone("connector " + link.get().connectorId() + " is no longer configured", false);
        }
        String id = configured.settings().id();
        UpstreamIdentity identity;
        try {
            @Nullable UpstreamIdentity now;
            if (configured.connector() instanceof RedirectConnector provider) {
                UpstreamTokens.Outcome<UpstreamIdentity> outcome = revalidate(provider, user, id);
                if (outcome instanceof UpstreamTokens.Meanwhile) {
                    // another refresh of this person asked the upstream a moment ago and recorded its answer;
                    // callers hand in only users that are not disabled
                    return new Current(user);
                }
                now = ((UpstreamTokens.Done<UpstreamIdentity>) outcome).answer();
            } else {
                now = lookup((PasswordConnector) configured.connector(), link.get());
            }
            if (now == null) {
                return new Gone("no longer in connector " + id);
            }
            identity = now;
        } catch (NoRefreshToken e) {
            // nothing says they are gone: only this refresh is refused, and a new login stores a token
            return new Gone("connector " + id + " left no upstream refresh token to re-validate with", false);
        } catch (ConnectorUnavailableException e) {
            LOG.warn("connector {} unavailable at refresh: {}", id, e.getMessage());
            return new Unreachable(e.getMessage());
        }
        if (!FederatedUsers.idOf(id, identity.upstreamId()).equals(user.id())) {
            // Dex's check too: the name (or the upstream's token) now belongs to another entry
            return new Gone("the upstream now describes another entry of connector " + id);
        }
        User current = federated.remember(configured.settings(), identity);
        return current.disabled() ? new Gone("disabled") : new Current(current);
    }

    private static @Nullable UpstreamIdentity lookup(PasswordConnector directory, FederatedUsers.Link link)
            throws ConnectorUnavailableException {
        return directory.lookup(link.username()) instanceof PasswordConnector.Accepted accepted
                ? accepted.identity() : null;
    }

    /** By the upstream refresh token of their latest login, rotated as the upstream rotates it. */
    private UpstreamTokens.Outcome<UpstreamIdentity> revalidate(RedirectConnector provider, User user, String connectorId)
            throws ConnectorUnavailableException {
        return tokens.use(user.id(), connectorId, provider.longestCall(), refreshToken -> {
            if (refreshToken == null) {
                throw new NoRefreshToken();
            }
            RedirectConnector.Answer answer = provider.refresh(refreshToken);
            if (answer instanceof RedirectConnector.Verified verified) {
                return new UpstreamTokens.Used<>(verified.identity(), verified.refreshToken(), false);
            }
            LOG.info("connector {} refused the refresh of user {}: {}", connectorId, user.id(),
                    ((RedirectConnector.Refused) answer).reason());
            return new UpstreamTokens.Used<>(null, null, true);
        });
    }

    private static final class NoRefreshToken extends RuntimeException {
        NoRefreshToken() {
            super(null, null, false, false);
        }
    }
}
