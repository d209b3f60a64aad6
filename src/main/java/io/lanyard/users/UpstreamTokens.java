package io.lanyard.users;

import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.storage.Database;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

import static io.lanyard.storage.SqlTimes.utc;

/**
 * The upstream refresh token of a person's latest login through a redirect connector, sealed under
 * the KEK (bound to the person and connector, so a row copied to another person does not open).
 */
@Singleton
public class UpstreamTokens {

    /** What a re-validation did with the token it was handed. */
    public interface Use<T> {
        /**
         * @param refreshToken the stored token, or null when there is none
         * @return the answer and the token to keep (null keeps the stored one)
         */
        Used<T> with(@Nullable String refreshToken) throws ConnectorUnavailableException;
    }

    public record Used<T>(T answer, @Nullable String keep) {
    }

    private final Database database;
    private final KeyEncryptionKey kek;
    private final Clock clock;

    public UpstreamTokens(Database database, KeyEncryptionKey kek, Clock clock) {
        this.database = database;
        this.kek = kek;
        this.clock = clock;
    }

    /** After a login: the newest token replaces the one an earlier login left; null removes it. */
    public void store(String userId, String connectorId, @Nullable String refreshToken) {
        database.inTransaction(c -> {
            delete(c, userId);
            if (refreshToken != null) {
                insert(c, userId, connectorId, refreshToken);
            }
            return null;
        });
    }

    /**
     * Hands the person's stored token to {@code use} while holding its row, so two refreshes of the same
     * person (a laptop and a CI job) use the upstream's rotating refresh token one after the other:
     * two at once would be reuse to an upstream that detects it, as Lanyard does. The lock is held for
     * as long as the upstream call takes, which the connector's timeout bounds.
     */
    public <T> T use(String userId, String connectorId, Use<T> use) throws ConnectorUnavailableException {
        try {
            return database.inLongTransaction(c -> {
                @Nullable String current = lockAndRead(c, userId, connectorId);
                Used<T> used;
                try {
                    used = use.with(current);
                } catch (ConnectorUnavailableException e) {
                    throw new Unavailable(e);
                }
                if (used.keep() != null && !used.keep().equals(current)) {
                    delete(c, userId);
                    insert(c, userId, connectorId, used.keep());
                }
                return used.answer();
            });
        } catch (Unavailable e) {
            throw e.cause;
        }
    }

    /** Carries the connector's checked exception out of the transaction's callback. */
    private static final class Unavailable extends RuntimeException {
        private final ConnectorUnavailableException cause;

        Unavailable(ConnectorUnavailableException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    private @Nullable String lockAndRead(Connection c, String userId, String connectorId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT connector_id, sealed FROM upstream_refresh_tokens WHERE user_id = ? FOR UPDATE")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !connectorId.equals(rs.getString(1))) {
                    return null;
                }
                try {
                    return new String(kek.open(rs.getBytes(2), purpose(userId, connectorId)), StandardCharsets.UTF_8);
                } catch (GeneralSecurityException e) {
                    // sealed under another KEK (or altered): as good as no token; the person logs in again
                    return null;
                }
            }
        }
    }

    private void insert(Connection c, String userId, String connectorId, String refreshToken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_refresh_tokens "
                + "(user_id, connector_id, sealed, updated_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, userId);
            ps.setString(2, connectorId);
            ps.setBytes(3, kek.seal(refreshToken.getBytes(StandardCharsets.UTF_8), purpose(userId, connectorId)));
            ps.setObject(4, utc(clock.instant()));
            ps.executeUpdate();
        }
    }

    private static void delete(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM upstream_refresh_tokens WHERE user_id = ?")) {
            ps.setString(1, userId);
            ps.executeUpdate();
        }
    }

    private static String purpose(String userId, String connectorId) {
        return "upstream refresh token " + connectorId + " " + userId;
    }
}
