package io.lanyard.token;

import io.lanyard.oauth.OpaqueTokens;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/**
 * Device codes (RFC 8628): stored as digests, approved or denied once on the verification page,
 * redeemed once by a conditional UPDATE, on whichever replica each step lands.
 */
@Singleton
public class DeviceCodes {
    public enum Status { PENDING, APPROVED, DENIED, REDEEMED }

    /** What a device asked for, as the device authorization endpoint answers it (3.2). */
    public record Issued(String deviceCode, String userCode, Duration lifetime, Duration interval) {
    }

    /** A stored device code. */
    public record Stored(String deviceCodeHash, String userCode, String clientId, Set<String> scope,
                         @Nullable String codeChallenge, Status status, Duration interval,
                         @Nullable Instant lastPolledAt, Instant expiresAt, @Nullable String userId,
                         @Nullable Instant authTime) {
        public boolean expired(Instant now) {
            return !expiresAt.isAfter(now);
        }
    }

    private static final String COLUMNS = "device_code_hash, user_code, client_id, scope, code_challenge, status, "
            + "poll_interval_s, last_polled_at, expires_at, user_id, auth_time";

    private final Database database;
    private final Clock clock;
    private final DeviceProperties settings;

    public DeviceCodes(Database database, Clock clock, DeviceProperties settings) {
        this.database = database;
        this.clock = clock;
        this.settings = settings;
    }

    /** A new pending code; a user code that collides with a live one is drawn again. */
    public Issued issue(String clientId, Set<String> scope, @Nullable String codeChallenge) {
        Instant now = clock.instant();
        for (int attempt = 0; ; attempt++) {
            String deviceCode = OpaqueTokens.generate();
            String userCode = UserCodes.generate();
            try {
                database.inTransaction(c -> {
                    sweep(c, now);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_codes (device_code_hash, "
                            + "user_code, client_id, scope, code_challenge, status, poll_interval_s, created_at, "
                            + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, OpaqueTokens.digest(deviceCode));
                        ps.setString(2, userCode);
                        ps.setString(3, clientId);
                        ps.setString(4, String.join(" ", new TreeSet<>(scope)));
                        ps.setString(5, codeChallenge);
                        ps.setString(6, Status.PENDING.name());
                        ps.setInt(7, (int) settings.interval().toSeconds());
                        ps.setObject(8, utc(now));
                        ps.setObject(9, utc(now.plus(settings.codeLifetime())));
                        ps.executeUpdate();
                    }
                    return null;
                });
                return new Issued(deviceCode, userCode, settings.codeLifetime(), settings.interval());
            } catch (StorageException e) {
                if (attempt >= 3 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    public Optional<Stored> findByDeviceCode(String deviceCode) {
        return database.query(c -> find(c, "device_code_hash", OpaqueTokens.digest(deviceCode)));
    }

    /** The live or expired code a person typed, by its stored form ({@link UserCodes#normalize}). */
    public Optional<Stored> findByUserCode(String userCode) {
        return database.query(c -> find(c, "user_code", userCode));
    }

    /**
     * Records a poll. A poll sooner than the interval after the last one makes the interval 5 s
     * longer (RFC 8628 3.5) and returns true: the device must slow down. A fifth of the interval
     * (a second of the default 5 s) is allowed for the jitter of timers and networks. A poll that
     * is too soon is not recorded as the last one: a client that sends each poll twice at once
     * (golang.org/x/oauth2 retries with its other client-authentication style) is slowed down by
     * its second request but still gets an answer to its first at the next interval.
     */
    public boolean polled(Stored code, Instant now) {
        boolean tooSoon = code.lastPolledAt() != null
                && now.isBefore(code.lastPolledAt().plus(code.interval()).minus(code.interval().dividedBy(5)));
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(tooSoon
                    ? "UPDATE device_codes SET poll_interval_s = poll_interval_s + 5 WHERE device_code_hash = ?"
                    : "UPDATE device_codes SET last_polled_at = ? WHERE device_code_hash = ?")) {
                if (tooSoon) {
                    ps.setString(1, code.deviceCodeHash());
                } else {
                    ps.setObject(1, utc(now));
                    ps.setString(2, code.deviceCodeHash());
                }
                ps.executeUpdate();
            }
            return null;
        });
        return tooSoon;
    }

    /**
     * The person's decision, taken once: true when the code was still pending and unexpired.
     */
    public boolean decide(String userCode, boolean approve, String userId, Instant authTime) {
        Instant now = clock.instant();
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE device_codes SET status = ?, user_id = ?, "
                    + "auth_time = ? WHERE user_code = ? AND status = ? AND expires_at > ?")) {
                ps.setString(1, (approve ? Status.APPROVED : Status.DENIED).name());
                ps.setString(2, userId);
                ps.setObject(3, utc(authTime));
                ps.setString(4, userCode);
                ps.setString(5, Status.PENDING.name());
                ps.setObject(6, utc(now));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** True for exactly one caller, however many pollers on however many replicas race. */
    static boolean redeem(Connection c, String deviceCodeHash, Instant now, @Nullable String familyId,
                          AccessTokenId access) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE device_codes SET status = ?, family_id = ?, "
                + "access_jti = ?, access_expires_at = ? WHERE device_code_hash = ? AND status = ? AND expires_at > ?")) {
            ps.setString(1, Status.REDEEMED.name());
            ps.setString(2, familyId);
            ps.setString(3, access.jti());
            ps.setObject(4, utc(access.expiresAt()));
            ps.setString(5, deviceCodeHash);
            ps.setString(6, Status.APPROVED.name());
            ps.setObject(7, utc(now));
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<Stored> find(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM device_codes WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String scope = rs.getString(4);
                return Optional.of(new Stored(rs.getString(1), rs.getString(2), rs.getString(3),
                        scope.isEmpty() ? Set.of() : Set.of(scope.split(" ")), rs.getString(5),
                        Status.valueOf(rs.getString(6)), Duration.ofSeconds(rs.getInt(7)), instant(rs, 8),
                        instant(rs, 9), rs.getString(10), instant(rs, 11)));
            }
        }
    }

    /** Codes an hour past their expiry are of no use, not even as evidence; each issue sweeps them. */
    private static void sweep(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM device_codes WHERE expires_at < ?")) {
            ps.setObject(1, utc(now.minus(Duration.ofHours(1))));
            ps.executeUpdate();
        }
    }
}
