package io.lanyard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Databases for tests: the real PostgreSQL at 127.0.0.1:5432 (a fresh schema each time) and
 * embedded H2 in PostgreSQL mode, as production runs them.
 */
public final class TestDatabases {
    public static final String PG_HOST = System.getProperty("lanyard.test.pg", "127.0.0.1:5432");

    public enum Kind { POSTGRES, H2 }

    private TestDatabases() {
    }

    /** Datasource properties for a new, empty database of the given kind. */
    public static Map<String, Object> fresh(Kind kind) {
        return kind == Kind.POSTGRES ? freshPostgres() : freshH2();
    }

    public static Map<String, Object> freshPostgres() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + " is needed for this test: " + e.getMessage(), e);
        }
        return Map.of(
                "datasources.default.url", "jdbc:postgresql://" + PG_HOST + "/test?currentSchema=" + schema,
                "datasources.default.username", "postgres",
                "datasources.default.password", "");
    }

    public static Map<String, Object> freshH2() {
        String name = "lanyard_" + UUID.randomUUID().toString().replace("-", "");
        return Map.of(
                "datasources.default.url", "jdbc:h2:mem:" + name
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "datasources.default.username", "sa",
                "datasources.default.password", "");
    }
}
