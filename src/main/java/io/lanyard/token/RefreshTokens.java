package io.lanyard.token;

import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.revocation.RevocationStore;
import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/**
 * SQL for refresh tokens. A family is every token rotated out of one login; the absolute lifetime
 * belongs to the family, the idle lifetime to each token.
 */
public final class RefreshTokens {

    public record Stored(String tokenHash, String familyId, String clientId, String userId, Set<String> scope,
                         Instant authTime, Instant expiresAt, Instant familyExpiresAt, @Nullable Instant rotatedAt,
                         @Nullable byte[] rotatedResponse, @Nullable Instant revokedAt, Instant createdAt) {
    }

    private RefreshTokens() {
    }

    /**
     * A token to store; only its digest is kept.
     *
     * @param access the access token issued with it, revoked when the family is (RFC 7009 2.1)
     */
    public record NewToken(String token, String familyId, String clientId, String userId, Set<String> scope,
                           Instant authTime, Instant createdAt, Instant expiresAt, Instant familyExpiresAt,
                           @Nullable AccessTokenId access) {
    }

    public static void insert(Connection c, NewToken t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_tokens (token_hash, family_id, client_id, "
                + "user_id, scope, auth_time, created_at, expires_at, family_expires_at, access_jti, access_expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, OpaqueTokens.digest(t.token()));
            ps.setString(2, t.familyId());
            ps.setString(3, t.clientId());
            ps.setString(4, t.userId());
            ps.setString(5, String.join(" ", new TreeSet<>(t.scope())));
            ps.setObject(6, utc(t.authTime()));
            ps.setObject(7, utc(t.createdAt()));
            ps.setObject(8, utc(t.expiresAt()));
            ps.setObject(9, utc(t.familyExpiresAt()));
            ps.setString(10, t.access() == null ? null : t.access().jti());
            ps.setObject(11, t.access() == null ? null : utc(t.access().expiresAt()));
            ps.executeUpdate();
        }
    }

    public static Optional<Stored> find(Connection c, String tokenHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token_hash, family_id, client_id, user_id, scope, "
                + "auth_time, expires_at, family_expires_at, rotated_at, rotated_response, revoked_at, created_at "
                + "FROM refresh_tokens WHERE token_hash = ?")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String scope = rs.getString(5);
                return Optional.of(new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        scope.isEmpty() ? Set.of() : Set.of(scope.split(" ")), instant(rs, 6), instant(rs, 7),
                        instant(rs, 8), instant(rs, 9), rs.getBytes(10), instant(rs, 11), instant(rs, 12)));
            }
        }
    }

    /**
     * Marks the token used. True for exactly one caller: the row lock makes a racing replica wait
     * for this transaction and then find {@code rotated_at} set.
     */
    public static boolean markRotated(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET rotated_at = ? "
                + "WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, tokenHash);
            return ps.executeUpdate() == 1;
        }
    }

    public static void storeResponse(Connection c, String tokenHash, byte[] sealedResponse) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE refresh_tokens SET rotated_response = ? WHERE token_hash = ?")) {
            ps.setBytes(1, sealedResponse);
            ps.setString(2, tokenHash);
            ps.executeUpdate();
        }
    }

    /** Revokes every token of the family and the access tokens issued with them. */
    public static int revokeFamily(Connection c, String familyId, Instant now) throws SQLException {
        RevocationStore.revokeFamilyAccess(c, familyId, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = ?, rotated_response = NULL "
                + "WHERE family_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, familyId);
            return ps.executeUpdate();
        }
    }

    /** Tokens past both their expiry and any use as evidence of reuse. */
    public static int deleteExpired(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM refresh_tokens WHERE family_expires_at < ?")) {
            ps.setObject(1, utc(before));
            return ps.executeUpdate();
        }
    }


}
