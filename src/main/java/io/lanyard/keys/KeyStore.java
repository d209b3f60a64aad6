package io.lanyard.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** SQL for signing keys. Callers own the connection and the transaction. */
public final class KeyStore {
    private static final String COLUMNS =
            "kid, alg, public_jwk, private_key_enc, kek_id, created_at, activates_at, removed_at";

    private KeyStore() {
    }

    /** Keys newest activation first within each algorithm; tombstones too when asked. */
    public static List<StoredKey> load(Connection c, boolean includeRemoved) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM signing_keys"
                + (includeRemoved ? "" : " WHERE removed_at IS NULL")
                + " ORDER BY alg, activates_at DESC, created_at DESC";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return read(rs);
        }
    }

    public static List<StoredKey> loadAlgorithm(Connection c, String alg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM signing_keys"
                + " WHERE alg = ? AND removed_at IS NULL ORDER BY activates_at DESC, created_at DESC")) {
            ps.setString(1, alg);
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    /** The key-encryption keys (by id) that sealed the published keys. */
    public static java.util.Set<String> kekIds(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT kek_id FROM signing_keys WHERE removed_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    /** Blocks other replicas' rotations of the same algorithm until this transaction ends. */
    public static void lockAlgorithm(Connection c, String alg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT alg FROM key_rotation_locks WHERE alg = ? FOR UPDATE")) {
            ps.setString(1, alg);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no rotation lock row for " + alg);
                }
            }
        }
    }

    public static void insert(Connection c, StoredKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
            ps.setString(1, key.kid());
            ps.setString(2, key.alg());
            ps.setString(3, key.publicJwk());
            ps.setBytes(4, key.privateKeyEnc());
            ps.setString(5, key.kekId());
            ps.setObject(6, utc(key.createdAt()));
            ps.setObject(7, utc(key.activatesAt()));
            ps.executeUpdate();
        }
    }

    /** Wipes the private key and takes the key out of the JWKS; the row stays as a tombstone. */
    public static void markRemoved(Connection c, String kid, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE signing_keys SET private_key_enc = NULL, removed_at = ? WHERE kid = ? AND removed_at IS NULL")) {
            ps.setObject(1, utc(now));
            ps.setString(2, kid);
            ps.executeUpdate();
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static List<StoredKey> read(ResultSet rs) throws SQLException {
        List<StoredKey> keys = new ArrayList<>();
        while (rs.next()) {
            OffsetDateTime removed = rs.getObject(8, OffsetDateTime.class);
            keys.add(new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                    rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(),
                    rs.getObject(7, OffsetDateTime.class).toInstant(),
                    removed == null ? null : removed.toInstant()));
        }
        return keys;
    }
}
