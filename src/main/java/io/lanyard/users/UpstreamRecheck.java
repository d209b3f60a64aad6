package io.lanyard.users;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A refresh asks the connector a federated person came through about them again, as Dex does: someone
 * removed from the directory loses access at their next refresh, someone moved between groups gets
 * the new groups. Lanyard's own users are current by definition.
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

    public UpstreamRecheck(FederatedUsers federated, Connectors connectors) {
        this.federated = federated;
        this.connectors = connectors;
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
        PasswordConnector.Login login;
        try {
            login = configured.connector().lookup(link.get().username());
        } catch (ConnectorUnavailableException e) {
            LOG.warn("connector {} unavailable at refresh: {}", configured.settings().id(), e.getMessage());
            return new Unreachable(e.getMessage());
        }
        if (!(login instanceof PasswordConnector.Accepted accepted)) {
            return new Gone("no longer in connector " + configured.settings().id());
        }
        if (!FederatedUsers.idOf(configured.settings().id(), accepted.identity().upstreamId()).equals(user.id())) {
            // Dex's check too: the name now belongs to another entry
            return new Gone("the name now belongs to another entry of connector " + configured.settings().id());
        }
        User current = federated.remember(configured.settings(), accepted.identity());
        return current.disabled() ? new Gone("disabled") : new Current(current);
    }
}
