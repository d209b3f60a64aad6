package io.lanyard.login;

import io.lanyard.support.Database;
import io.lanyard.support.StorageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Brute-force throttling per account name and per source address. Each failure doubles the wait
 * once the free attempts are spent, up to a ceiling: guessing becomes slow while the owner is
 * never locked out for long. Counters live in the database and change under a row lock, so
 * replicas count together. Account names are counted whether or not the account exists, so the
 * throttle says nothing about which names are real.
 */
@Singleton
public class LoginThrottle {
    private final Database database;
    private final Clock clock;
    private final LoginProperties settings;

    public LoginThrottle(Database database, Clock clock, LoginProperties settings) {
        this.database = database;
        this.clock = clock;
        this.settings = settings;
    }

    public static String accountKey(String username) {
        return "user:" + username.trim().toLowerCase(java.util.Locale.ROOT);
    }

    public static String addressKey(String address) {
        return "addr:" + address;
    }

    /** How long the caller must wait before this account or address may try again; zero if not at all. */
    public Duration waitFor(String accountKey, String addressKey) {
        Instant now = clock.instant();
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(blocked_until) FROM login_throttle WHERE throttle_key IN (?, ?)")) {
                ps.setString(1, accountKey);
                ps.setString(2, addressKey);
                try (ResultSet rs = ps.executeQuery()) {
                    OffsetDateTime until = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                    return until == null || !until.toInstant().isAfter(now)
                            ? Duration.ZERO : Duration.between(now, until.toInstant());
                }
            }
        });
    }

    public void failed(String accountKey, String addressKey) {
        count(accountKey, settings.freeFailuresPerAccount());
        count(addressKey, settings.freeFailuresPerAddress());
    }

    /** The account's owner got in: its counter starts again. The address keeps its count. */
    public void succeeded(String accountKey) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_throttle WHERE throttle_key = ?")) {
                ps.setString(1, accountKey);
                return ps.executeUpdate();
            }
        });
    }

    Duration delayAfter(int failures, int free) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        Duration delay = settings.firstDelay().multipliedBy(1L << doublings);
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private void count(String key, int free) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(c -> {
                    Instant now = clock.instant();
                    if (!increment(c, key, now)) {
                        insert(c, key, now);
                        forgetOld(c, now);
                    }
                    int failures = failures(c, key);
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE login_throttle SET blocked_until = ? WHERE throttle_key = ?")) {
                        ps.setObject(1, now.plus(delayAfter(failures, free)).atOffset(ZoneOffset.UTC));
                        ps.setString(2, key);
                        ps.executeUpdate();
                    }
                    return null;
                });
                return;
            } catch (StorageException e) {
                // two replicas inserted the first failure at once: the loser counts again as an UPDATE
                if (attempt > 0 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    private boolean increment(Connection c, String key, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE login_throttle SET failures = CASE WHEN last_failure_at < ? "
                + "THEN 1 ELSE failures + 1 END, last_failure_at = ? WHERE throttle_key = ?")) {
            ps.setObject(1, now.minus(settings.failureWindow()).atOffset(ZoneOffset.UTC));
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setString(3, key);
            return ps.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, String key, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_throttle "
                + "(throttle_key, failures, last_failure_at, blocked_until) VALUES (?, 1, ?, ?)")) {
            ps.setString(1, key);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** Counters past their window and their delay say nothing any more; names guessed at random would pile up. */
    private void forgetOld(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM login_throttle WHERE last_failure_at < ? AND blocked_until < ?")) {
            ps.setObject(1, now.minus(settings.failureWindow()).atOffset(ZoneOffset.UTC));
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static int failures(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT failures FROM login_throttle WHERE throttle_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
