package io.lanyard.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A counter per cached table. Writers bump it in the same transaction as their change; every
 * replica polls the counters and reloads a cache only when its counter moved.
 */
public final class CacheVersions {
    public static final String KEYS = "keys";
    public static final String CLIENTS = "clients";

    private CacheVersions() {
    }

    public static void bump(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE cache_versions SET version = version + 1 WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    public static Map<String, Long> read(Connection c) throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, version FROM cache_versions");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                versions.put(rs.getString(1), rs.getLong(2));
            }
        }
        return versions;
    }
}
