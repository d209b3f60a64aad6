package io.lanyard.keys;

import io.lanyard.storage.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The servers' key schedule as they recorded it in the database: a process that rotates a key on
 * the side (the CLI) follows the servers' pre-publication period, whatever its own settings say.
 */
final class KeySettings {
    static final String PRE_PUBLISH = "pre-publish";

    private KeySettings() {
    }

    /**
     * Records {@code value} for {@code name}, a row the migration created: one UPDATE, so servers that
     * start at once never race to insert it. The last server to start wins; replicas agree anyway.
     */
    static void record(Connection c, String name, Duration value, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE key_settings SET seconds = ?, updated_at = ? WHERE name = ?")) {
            update.setLong(1, value.toSeconds());
            update.setObject(2, SqlTimes.utc(now));
            update.setString(3, name);
            if (update.executeUpdate() != 1) {
                throw new SQLException("no key_settings row for " + name + " (migration V10 seeds it)");
            }
        }
    }

    static Optional<Duration> recorded(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seconds FROM key_settings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long seconds = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            }
        }
    }
}
