package io.lanyard.authorize;

import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Browser sessions: the cookie holds 256 random bits, the database their digest. */
@Singleton
public class BrowserSessions {

    public record Session(String userId, Instant authTime, Instant expiresAt) {
    }

    private final Database database;
    private final Clock clock;
    private final Duration lifetime;

    public BrowserSessions(Database database, Clock clock, LoginProperties login) {
        this.database = database;
        this.clock = clock;
        this.lifetime = login.sessionLifetime();
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Starts a session and returns the cookie value. */
    public String start(String userId, Instant authTime) {
        String cookie = OpaqueTokens.generate();
        Instant now = clock.instant();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO browser_sessions (session_hash, user_id, auth_time, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, OpaqueTokens.digest(cookie));
                ps.setString(2, userId);
                ps.setObject(3, authTime.atOffset(ZoneOffset.UTC));
                ps.setObject(4, now.plus(lifetime).atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE expires_at < ?")) {
                ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return null;
        });
        return cookie;
    }

    public Optional<Session> find(String cookie) {
        if (cookie == null || cookie.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, auth_time, expires_at FROM browser_sessions WHERE session_hash = ?")) {
                ps.setString(1, OpaqueTokens.digest(cookie));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Session session = new Session(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getObject(3, OffsetDateTime.class).toInstant());
                    return session.expiresAt().isAfter(now) ? Optional.of(session) : Optional.empty();
                }
            }
        });
    }

    public void end(String cookie) {
        if (cookie == null) {
            return;
        }
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE session_hash = ?")) {
                ps.setString(1, OpaqueTokens.digest(cookie));
                return ps.executeUpdate();
            }
        });
    }
}
