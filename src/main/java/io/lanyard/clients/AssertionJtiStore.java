package io.lanyard.clients;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/** SQL for used client-assertion ids (RFC 7523 section 3, item 7). */
public final class AssertionJtiStore {
    private AssertionJtiStore() {
    }

    /** Records a jti; the primary key makes a second use, on any replica, a unique violation. */
    public static void insert(Connection c, String clientId, String jti, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?)")) {
            ps.setString(1, clientId);
            ps.setString(2, jti);
            ps.setObject(3, expiresAt.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** An expired assertion is refused for its exp alone, so its jti need not be kept. */
    public static int sweep(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM client_assertion_jtis WHERE expires_at < ?")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }
}
