package io.lanyard.exchange;

import io.lanyard.support.CacheVersions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** SQL for exchange policies; writes bump the clients cache version, which reloads them everywhere. */
public final class ExchangePolicyStore {
    private ExchangePolicyStore() {
    }

    public static List<ExchangePolicy> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT client_id, audiences, scopes, impersonation, "
                + "subject_issuers, source FROM exchange_policies ORDER BY client_id");
             ResultSet rs = ps.executeQuery()) {
            List<ExchangePolicy> policies = new ArrayList<>();
            while (rs.next()) {
                policies.add(new ExchangePolicy(rs.getString(1), split(rs.getString(2)), split(rs.getString(3)),
                        rs.getBoolean(4), split(rs.getString(5)), rs.getString(6)));
            }
            return policies;
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
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM exchange_policies WHERE client_id = ?")) {
                ps.setString(1, policy.clientId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO exchange_policies (client_id, audiences, "
                    + "scopes, impersonation, subject_issuers, source) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, policy.clientId());
                ps.setString(2, join(policy.audiences()));
                ps.setString(3, join(policy.scopes()));
                ps.setBoolean(4, policy.impersonation());
                ps.setString(5, join(policy.subjectIssuers()));
                ps.setString(6, policy.source());
                ps.executeUpdate();
            }
        }
        CacheVersions.bump(c, CacheVersions.CLIENTS);
        return true;
    }

    private static String join(Set<String> values) {
        return String.join(" ", new TreeSet<>(values));
    }

    private static Set<String> split(String value) {
        return value == null || value.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(value.trim().split(" +")));
    }
}
