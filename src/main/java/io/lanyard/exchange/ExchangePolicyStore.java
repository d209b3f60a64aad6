package io.lanyard.exchange;

import io.lanyard.storage.CacheVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** SQL for exchange policies; writes bump the clients cache version, which reloads them everywhere. */
public final class ExchangePolicyStore {
    private static final String COLUMNS = "client_id, audiences, scopes, impersonation, subject_issuers, "
            + "may_outlive_subject, source";

    private ExchangePolicyStore() {
    }

    public static List<ExchangePolicy> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM exchange_policies ORDER BY client_id");
             ResultSet rs = ps.executeQuery()) {
            List<ExchangePolicy> policies = new ArrayList<>();
            while (rs.next()) {
                policies.add(read(rs));
            }
            return policies;
        }
    }

    public static Optional<ExchangePolicy> find(Connection c, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM exchange_policies WHERE client_id = ?")) {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The file owns the policies it declares: they replace every policy it declared before. */
    public static boolean replaceFromConfig(Connection c, List<ExchangePolicy> wanted) throws SQLException {
        List<ExchangePolicy> current = list(c).stream().filter(p -> "config".equals(p.source())).toList();
        if (Set.copyOf(current).equals(Set.copyOf(wanted))) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM exchange_policies WHERE source = 'config'")) {
            ps.executeUpdate();
        }
        for (ExchangePolicy policy : wanted) {
            // a policy the CLI set for the same client gives way to the file's
            deleteRow(c, policy.clientId());
            insert(c, policy);
        }
        CacheVersions.bump(c, CacheVersions.CLIENTS);
        return true;
    }

    /** Writes one policy in place of any the client had. */
    public static void put(Connection c, ExchangePolicy policy) throws SQLException {
        deleteRow(c, policy.clientId());
        insert(c, policy);
        CacheVersions.bump(c, CacheVersions.CLIENTS);
    }

    /** @return whether the client had a policy */
    public static boolean delete(Connection c, String clientId) throws SQLException {
        if (!deleteRow(c, clientId)) {
            return false;
        }
        CacheVersions.bump(c, CacheVersions.CLIENTS);
        return true;
    }

    private static boolean deleteRow(Connection c, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM exchange_policies WHERE client_id = ?")) {
            ps.setString(1, clientId);
            return ps.executeUpdate() > 0;
        }
    }

    private static void insert(Connection c, ExchangePolicy policy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO exchange_policies (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, policy.clientId());
            ps.setString(2, join(policy.audiences()));
            ps.setString(3, join(policy.scopes()));
            ps.setBoolean(4, policy.impersonation());
            ps.setString(5, join(policy.subjectIssuers()));
            ps.setBoolean(6, policy.mayOutliveSubject());
            ps.setString(7, policy.source());
            ps.executeUpdate();
        }
    }

    private static ExchangePolicy read(ResultSet rs) throws SQLException {
        return new ExchangePolicy(rs.getString(1), split(rs.getString(2)), split(rs.getString(3)), rs.getBoolean(4),
                split(rs.getString(5)), rs.getBoolean(6), rs.getString(7));
    }

    private static String join(Set<String> values) {
        return String.join(" ", new TreeSet<>(values));
    }

    private static Set<String> split(String value) {
        return value == null || value.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(value.trim().split(" +")));
    }
}
