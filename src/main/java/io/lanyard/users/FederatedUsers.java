package io.lanyard.users;

import io.lanyard.oauth.Digests;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.lanyard.storage.SqlTimes.utc;

/**
 * People who log in through a connector, kept in the users table. Their id is the first 128 bits of
 * SHA-256 over the connector's id and the upstream id: the same person gets the same {@code sub} at
 * every login, on every replica, even after their row was deleted; nobody else can get it.
 */
@Singleton
public class FederatedUsers {

    /** Which connector a federated user came through, and the name they log in with there. */
    public record Link(String connectorId, String username) {
    }

    private final Database database;
    private final Clock clock;
    private final ApplicationEventPublisher<UsersChanged> events;

    public FederatedUsers(Database database, Clock clock, ApplicationEventPublisher<UsersChanged> events) {
        this.database = database;
        this.clock = clock;
        this.events = events;
    }

    public static String idOf(String connectorId, String upstreamId) {
        return Digests.sha256Base64Url(connectorId + "\u0000" + upstreamId)
                .substring(0, 22);
    }

    /**
     * Records what the connector says of the person now (name, email, groups), creating their row at
     * the first login; a user an administrator disabled stays disabled.
     */
    public User remember(ConnectorSettings settings, PasswordConnector.UpstreamIdentity identity) {
        String id = idOf(settings.id(), identity.upstreamId());
        Instant now = clock.instant();
        String groups = String.join("\n", settings.groups(identity.groups()));
        String key = settings.id() + "/" + identity.username().toLowerCase(Locale.ROOT);
        String emailKey = identity.email() != null && identity.emailVerified()
                ? settings.id() + "/" + identity.email().toLowerCase(Locale.ROOT) : null;
        boolean created = database.inTransaction(c -> {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET username = ?, username_key = ?, email = ?, "
                    + "email_verified = ?, display_name = ?, verified_email_key = ?, upstream_groups = ?, updated_at = ? "
                    + "WHERE id = ?")) {
                ps.setString(1, identity.username());
                ps.setString(2, key);
                ps.setString(3, identity.email());
                ps.setBoolean(4, identity.emailVerified());
                ps.setString(5, identity.name());
                ps.setString(6, emailKey);
                ps.setString(7, groups);
                ps.setObject(8, utc(now));
                ps.setString(9, id);
                exists = ps.executeUpdate() == 1;
            }
            if (!exists) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, username, username_key, email, "
                        + "email_verified, display_name, disabled, source, verified_email_key, connector_id, upstream_id, "
                        + "upstream_groups, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, identity.username());
                    ps.setString(3, key);
                    ps.setString(4, identity.email());
                    ps.setBoolean(5, identity.emailVerified());
                    ps.setString(6, identity.name());
                    ps.setString(7, "connector");
                    ps.setString(8, emailKey);
                    ps.setString(9, settings.id());
                    ps.setString(10, identity.upstreamId());
                    ps.setString(11, groups);
                    ps.setObject(12, utc(now));
                    ps.setObject(13, utc(now));
                    ps.executeUpdate();
                }
                CacheVersions.bump(c, UserStore.CACHE);
            }
            return !exists;
        });
        if (created) {
            events.publishEvent(new UsersChanged());
        }
        return database.query(c -> UserStore.findById(c, id)).map(StoredUser::user).orElseThrow();
    }

    /** The connector a user came through; empty for Lanyard's own users. */
    public Optional<Link> linkOf(String userId) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT connector_id, username FROM users WHERE id = ? "
                    + "AND connector_id IS NOT NULL")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Link(rs.getString(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /** The upstream groups recorded at the last login or refresh; empty for Lanyard's own users. */
    static List<String> upstreamGroups(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT upstream_groups FROM users WHERE id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                @Nullable String groups = rs.next() ? rs.getString(1) : null;
                return groups == null || groups.isEmpty() ? List.of() : List.of(groups.split("\n"));
            }
        }
    }
}
