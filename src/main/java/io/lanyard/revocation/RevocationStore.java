package io.lanyard.revocation;

import io.lanyard.storage.CacheVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/**
 * SQL for revoked access tokens. Each write bumps the 'revocations' cache version in the caller's
 * transaction, so other replicas read the new rows at their next refresh.
 */
public final class RevocationStore {
    public static final String CACHE = "revocations";

    /** One revoked token; {@code revokedAt} is the database's clock. */
    public record Revoked(String jti, Instant expiresAt, Instant revokedAt) {
    }

    private RevocationStore() {
    }

    /** Lists a token as revoked; listing it again changes nothing. */
    public static void revoke(Connection c, String jti, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, jti);
            ps.setObject(2, utc(expiresAt));
            ps.executeUpdate();
        }
        CacheVersions.bump(c, CACHE);
    }

    /**
     * Lists the still-valid access tokens a grant gave out, as recorded in {@code table}'s
     * {@code access_jti} and {@code access_expires_at} for the rows {@code where} selects.
     */
    static int revokeIssued(Connection c, String select, String key, Instant now) throws SQLException {
        int listed;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO revoked_tokens (jti, expires_at) "
                + select + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, key);
            ps.setObject(2, utc(now));
            listed = ps.executeUpdate();
        }
        if (listed > 0) {
            CacheVersions.bump(c, CACHE);
        }
        return listed;
    }

    /** Every access token of a refresh-token family that has not yet expired. */
    public static int revokeFamilyAccess(Connection c, String familyId, Instant now) throws SQLException {
        return revokeIssued(c, "SELECT access_jti, access_expires_at FROM refresh_tokens WHERE family_id = ? "
                + "AND access_jti IS NOT NULL AND access_expires_at > ?", familyId, now);
    }

    /** The access token an authorization code's redemption gave out, if it has not yet expired. */
    public static int revokeCodeAccess(Connection c, String codeHash, Instant now) throws SQLException {
        return revokeIssued(c, "SELECT access_jti, access_expires_at FROM authorization_codes WHERE code_hash = ? "
                + "AND access_jti IS NOT NULL AND access_expires_at > ?", codeHash, now);
    }

    /** Rows revoked after {@code after} (the database's clock) that have not expired by {@code now}. */
    public static List<Revoked> since(Connection c, Instant after, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT jti, expires_at, revoked_at FROM revoked_tokens "
                + "WHERE revoked_at > ? AND expires_at > ?")) {
            ps.setObject(1, utc(after));
            ps.setObject(2, utc(now));
            List<Revoked> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Revoked(rs.getString(1), instant(rs, 2), instant(rs, 3)));
                }
            }
            return rows;
        }
    }

    /** A token past its expiry is refused for that alone; its row is no longer needed. */
    public static int sweep(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM revoked_tokens WHERE expires_at < ?")) {
            ps.setObject(1, utc(now));
            return ps.executeUpdate();
        }
    }
}
