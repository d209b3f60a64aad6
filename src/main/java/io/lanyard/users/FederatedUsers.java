package io.lanyard.users;

import io.lanyard.oauth.Digests;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
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
     * the first login; a user an administrator disabled stays disabled. The directory is the
     * authority on its names: another row of the same connector still holding this person's name (a
     * uid handed on, a case change) gives it up. A verified email another user holds stays theirs:
     * this person's copy is stored unverified, since a verified email may be a Kubernetes username.
     */
    public User remember(ConnectorSettings settings, UpstreamIdentity identity) {
        String id = idOf(settings.id(), identity.upstreamId());
        String preferred = clip(identity.preferredUsername() != null ? identity.preferredUsername() : identity.username());
        String key = settings.id() + "/" + identity.username().toLowerCase(Locale.ROOT);
        String email = identity.email() != null && identity.email().length() <= 254 ? identity.email() : null;
        String groups = String.join("\n", settings.groups(identity.groups()));
        for (int attempt = 0; ; attempt++) {
            try {
                boolean created = database.inTransaction(c -> write(c, new Row(id, settings.id(), identity, preferred,
                        key, email, groups)));
                if (created) {
                    events.publishEvent(new UsersChanged());
                }
                return database.query(c -> UserStore.findById(c, id)).map(StoredUser::user).orElseThrow();
            } catch (StorageException e) {
                // two replicas creating the same person at once: the loser finds the row and updates it
                if (attempt > 0 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    private record Row(String id, String connectorId, UpstreamIdentity identity, String username,
                       String key, @Nullable String email, String groups) {
    }

    private boolean write(Connection c, Row row) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET username_key = connector_id || '/#' || id "
                + "WHERE username_key = ? AND id <> ? AND connector_id IS NOT NULL")) {
            ps.setString(1, row.key());
            ps.setString(2, row.id());
            ps.executeUpdate();
        }
        boolean verified = row.email() != null && row.identity().emailVerified() && !emailHeldElsewhere(c, row);
        String emailKey = verified ? row.email().toLowerCase(Locale.ROOT) : null;
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET username = ?, username_key = ?, email = ?, "
                + "email_verified = ?, display_name = ?, verified_email_key = ?, upstream_username = ?, "
                + "upstream_groups = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, row.username());
            ps.setString(2, row.key());
            ps.setString(3, row.email());
            ps.setBoolean(4, verified);
            ps.setString(5, clip(row.identity().name()));
            ps.setString(6, emailKey);
            ps.setString(7, row.identity().username());
            ps.setString(8, row.groups());
            ps.setObject(9, utc(now));
            ps.setString(10, row.id());
            exists = ps.executeUpdate() == 1;
        }
        if (exists) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, username, username_key, email, "
                + "email_verified, display_name, disabled, source, verified_email_key, connector_id, upstream_id, "
                + "upstream_username, upstream_groups, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.id());
            ps.setString(2, row.username());
            ps.setString(3, row.key());
            ps.setString(4, row.email());
            ps.setBoolean(5, verified);
            ps.setString(6, clip(row.identity().name()));
            ps.setString(7, StoredUser.SOURCE_CONNECTOR);
            ps.setString(8, emailKey);
            ps.setString(9, row.connectorId());
            ps.setString(10, row.identity().upstreamId());
            ps.setString(11, row.identity().username());
            ps.setString(12, row.groups());
            ps.setObject(13, utc(now));
            ps.setObject(14, utc(now));
            ps.executeUpdate();
        }
        CacheVersions.bump(c, UserStore.CACHE);
        return true;
    }

    private static boolean emailHeldElsewhere(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE verified_email_key = ? AND id <> ?")) {
            ps.setString(1, row.email().toLowerCase(Locale.ROOT));
            ps.setString(2, row.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static @Nullable String clip(@Nullable String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1024);
    }

    /** The connector a user came through; empty for Lanyard's own users. */
    public Optional<Link> linkOf(String userId) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT connector_id, upstream_username FROM users "
                    + "WHERE id = ? AND connector_id IS NOT NULL")) {
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
