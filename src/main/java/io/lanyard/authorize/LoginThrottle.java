package io.lanyard.authorize;

import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brute-force throttling per account name and per source address. An attempt is counted before
 * the password is checked, under the counters' row locks: a burst of parallel guesses cannot all
 * pass the check before the first failure is written, and replicas count together. Once the free
 * attempts are spent each further one doubles the wait, up to a ceiling. Account names are
 * counted whether or not the account exists, so the throttle says nothing about which names are
 * real.
 */
@Singleton
public class LoginThrottle {

    /** The account or address must wait this long; nothing was counted. */
    private static final class Blocked extends RuntimeException {
        private final Duration wait;

        Blocked(Duration wait) {
            super(null, null, false, false);
            this.wait = wait;
        }
    }

    private record Counter(int failures, Instant lastFailureAt, Instant blockedUntil) {
    }

    private static final Instant NEVER_BLOCKED = Instant.EPOCH;

    private final Database database;
    private final Clock clock;
    private final LoginProperties settings;
    private final AtomicLong reservations = new AtomicLong();

    public LoginThrottle(Database database, Clock clock, LoginProperties settings) {
        this.database = database;
        this.clock = clock;
        this.settings = settings;
    }

    /** The counter of an account name; names too long for a key (or not plain text) share a digest. */
    public static String accountKey(String username) {
        String name = username.trim().toLowerCase(Locale.ROOT);
        return name.length() <= 128 && name.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)
                ? "user:" + name : "user#" + OpaqueTokens.digest(name);
    }

    /** The counter of an account name tried from a browser where that account logged in before. */
    public static String deviceKey(String deviceId, String username) {
        return "device:" + deviceId + ":" + OpaqueTokens.digest(username.trim().toLowerCase(Locale.ROOT));
    }

    public static String addressKey(String address) {
        return "addr:" + address;
    }

    /**
     * Counts one attempt against both keys, or, when either is in a delay, counts nothing and
     * returns how long to wait. Zero means go ahead and check the password.
     */
    public Duration reserve(String accountKey, String addressKey) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(c -> {
                    // always account first, then address: every transaction locks in the same order
                    Counter account = lock(c, accountKey);
                    Counter address = lock(c, addressKey);
                    // the time is read once the locks are held, so it is not older than what the
                    // transaction that held them before wrote
                    Instant now = clock.instant();
                    for (Counter counter : new Counter[] {account, address}) {
                        if (counter.blockedUntil().isAfter(now)) {
                            throw new Blocked(Duration.between(now, counter.blockedUntil()));
                        }
                    }
                    count(c, accountKey, account, settings.freeFailuresPerAccount(), now);
                    count(c, addressKey, address, settings.freeFailuresPerAddress(), now);
                    return null;
                });
                if (reservations.incrementAndGet() % 64 == 0) {
                    // in a transaction of its own: deleting rows while holding counter locks could deadlock
                    database.inTransaction(c -> {
                        forgetOld(c, clock.instant());
                        return null;
                    });
                }
                return Duration.ZERO;
            } catch (Blocked blocked) {
                return blocked.wait;
            } catch (StorageException e) {
                // two replicas created the same counter at once: the loser counts again
                if (attempt > 0 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    /**
     * How long the longest delay among {@code keys} still runs; zero when none is delayed. Reads
     * without locks, for guesses whose failures alone are counted ({@link #failed}): user codes
     * on the device page, where a right guess costs nothing and a wrong one is counted at once.
     */
    public Duration waitFor(String... keys) {
        Instant now = clock.instant();
        return database.query(c -> {
            Duration longest = Duration.ZERO;
            for (String key : keys) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT blocked_until FROM login_throttle WHERE throttle_key = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            Instant until = rs.getObject(1, OffsetDateTime.class).toInstant();
                            if (until.isAfter(now) && Duration.between(now, until).compareTo(longest) > 0) {
                                longest = Duration.between(now, until);
                            }
                        }
                    }
                }
            }
            return longest;
        });
    }

    /** Counts one failure against {@code key}, which gets {@code free} failures before delays start. */
    public void failed(String key, int free) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(c -> {
                    Counter counter = lock(c, key);
                    count(c, key, counter, free, clock.instant());
                    return null;
                });
                return;
            } catch (StorageException e) {
                // two replicas created the same counter at once: the loser counts again
                if (attempt > 0 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    /** The password was right: the account starts again and the address gets its attempt back. */
    public void succeeded(String accountKey, String addressKey) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_throttle WHERE throttle_key = ?")) {
                ps.setString(1, accountKey);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0")) {
                ps.setString(1, addressKey);
                ps.executeUpdate();
            }
            return null;
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

    private Counter lock(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT failures, last_failure_at, blocked_until "
                + "FROM login_throttle WHERE throttle_key = ? FOR UPDATE")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Counter(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getObject(3, OffsetDateTime.class).toInstant());
                }
            }
        }
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_throttle "
                + "(throttle_key, failures, last_failure_at, blocked_until) VALUES (?, 0, ?, ?)")) {
            ps.setString(1, key);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setObject(3, NEVER_BLOCKED.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return new Counter(0, now, NEVER_BLOCKED);
    }

    private void count(Connection c, String key, Counter counter, int free, Instant now) throws SQLException {
        // failures older than the window are forgotten: the count starts again
        int failures = counter.lastFailureAt().isBefore(now.minus(settings.failureWindow())) ? 1 : counter.failures() + 1;
        try (PreparedStatement ps = c.prepareStatement("UPDATE login_throttle SET failures = ?, last_failure_at = ?, "
                + "blocked_until = ? WHERE throttle_key = ?")) {
            ps.setInt(1, failures);
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            Duration delay = delayAfter(failures, free);
            // no delay leaves the old, past value: "until now" would block a racing request whose clock read is older
            ps.setObject(3, (delay.isZero() ? counter.blockedUntil() : now.plus(delay)).atOffset(ZoneOffset.UTC));
            ps.setString(4, key);
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
}
