package io.lanyard.users;

import io.lanyard.keys.KeyEncryptionKey;
import io.lanyard.storage.Database;
import io.lanyard.storage.StorageException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.lanyard.storage.SqlTimes.instant;
import static io.lanyard.storage.SqlTimes.utc;

/**
 * The upstream refresh token of a person's latest login through a redirect connector, sealed under
 * the KEK (bound to the person and connector, so a row copied to another person does not open).
 */
@Singleton
public class UpstreamTokens {
    private static final long POLL_MILLIS = 100;

    /** What a re-validation does with the token it is handed. */
    public interface Use<T> {
        /** @param refreshToken the stored token, or null when there is none */
        Used<T> with(@Nullable String refreshToken) throws ConnectorUnavailableException;
    }

    /**
     * @param keep   the token to keep from now on (the upstream rotated it), or null to keep the stored one
     * @param forget the upstream refused the token: it is removed, and a refresh waiting for this one
     *               finds none
     */
    public record Used<T>(@Nullable T answer, @Nullable String keep, boolean forget) {
    }

    /** What {@link #use} came to. */
    public sealed interface Outcome<T> permits Done, Meanwhile {
    }

    /** This refresh asked the upstream; here is what it said. */
    public record Done<T>(@Nullable T answer) implements Outcome<T> {
    }

    /**
     * Another refresh of the same person (another device, another replica) asked the upstream while
     * this one waited, and kept what it said: asking again at once would only present a token the
     * upstream just rotated.
     */
    public record Meanwhile<T>() implements Outcome<T> {
    }

    private sealed interface Claim permits None, Busy, Moved, Claimed {
    }

    /** The token changed since this refresh started waiting: another refresh asked the upstream. */
    private record Moved() implements Claim {
    }

    private record None() implements Claim {
    }

    private record Busy(long version) implements Claim {
    }

    private record Claimed(String token, long version) implements Claim {
    }

    private final Database database;
    private final KeyEncryptionKey kek;
    private final Clock clock;

    public UpstreamTokens(Database database, KeyEncryptionKey kek, Clock clock) {
        this.database = database;
        this.kek = kek;
        this.clock = clock;
    }

    /**
     * After a login that brought a refresh token: it replaces the one an earlier login left. A login
     * without one leaves the stored token alone, so a web sign-in without {@code offline_access} does
     * not end a kubectl grant that relies on it.
     */
    public void store(String userId, String connectorId, String refreshToken) {
        byte[] sealed = kek.seal(refreshToken.getBytes(StandardCharsets.UTF_8), purpose(userId, connectorId));
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(c -> {
                    if (replace(c, userId, connectorId, sealed) == 0) {
                        insert(c, userId, connectorId, sealed);
                    }
                    return null;
                });
                return;
            } catch (StorageException e) {
                // two first logins of one person at once: the loser replaces the winner's row
                if (attempt > 0 || !e.isUniqueViolation()) {
                    throw e;
                }
            }
        }
    }

    /**
     * Hands the person's stored token to {@code use} while holding a lease on its row for
     * {@code lease}: two refreshes of one person (a laptop and a CI job, on any replicas) use the
     * upstream's rotating refresh token one after the other, since two at once would be reuse to an
     * upstream that detects it, as Lanyard does. No transaction stays open across the upstream call.
     * A refresh that finds the row leased waits for it, at most {@code lease}.
     */
    public <T> Outcome<T> use(String userId, String connectorId, Duration lease, Use<T> use)
            throws ConnectorUnavailableException {
        Instant deadline = clock.instant().plus(lease);
        Long waitingSince = null;
        while (true) {
            Long seen = waitingSince;
            Claim claim = database.inTransaction(c -> claim(c, userId, connectorId, lease, seen));
            if (claim instanceof None) {
                return new Done<>(use.with(null).answer());
            }
            if (claim instanceof Claimed claimed) {
                return new Done<>(useClaimed(userId, connectorId, claimed, use));
            }
            if (claim instanceof Moved) {
                return new Meanwhile<>();
            }
            waitingSince = ((Busy) claim).version();
            if (!clock.instant().isBefore(deadline)) {
                throw new ConnectorUnavailableException("another refresh of this person is still waiting for the upstream");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorUnavailableException("interrupted while another refresh of this person ran");
            }
        }
    }

    private <T> @Nullable T useClaimed(String userId, String connectorId, Claimed claimed, Use<T> use)
            throws ConnectorUnavailableException {
        Used<T> used;
        try {
            used = use.with(claimed.token());
        } catch (ConnectorUnavailableException | RuntimeException e) {
            release(userId, connectorId, claimed.version(), null, false);
            throw e;
        }
        release(userId, connectorId, claimed.version(), used.keep(), used.forget());
        return used.answer();
    }

    /**
     * The row's token under a fresh lease, or why not: no token, another refresh holds the lease, or
     * (for a refresh that waited, having seen version {@code seen}) another refresh has used it.
     */
    private Claim claim(Connection c, String userId, String connectorId, Duration lease, @Nullable Long seen)
            throws SQLException {
        Instant now = clock.instant();
        byte[] sealed;
        long version;
        Instant leaseUntil;
        try (PreparedStatement ps = c.prepareStatement("SELECT connector_id, sealed, version, lease_until "
                + "FROM upstream_refresh_tokens WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !connectorId.equals(rs.getString(1))) {
                    return new None();
                }
                sealed = rs.getBytes(2);
                version = rs.getLong(3);
                leaseUntil = rs.getObject(4) == null ? null : instant(rs, 4);
            }
        }
        if (seen != null && version != seen) {
            return new Moved();
        }
        if (leaseUntil != null && leaseUntil.isAfter(now)) {
            return new Busy(version);
        }
        // the claim moves the version too: a holder whose lease ran out and was taken over cannot write back
        try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_refresh_tokens SET lease_until = ?, "
                + "version = version + 1 WHERE user_id = ? AND version = ? AND (lease_until IS NULL OR lease_until <= ?)")) {
            ps.setObject(1, utc(now.plus(lease)));
            ps.setString(2, userId);
            ps.setLong(3, version);
            ps.setObject(4, utc(now));
            if (ps.executeUpdate() != 1) {
                return new Busy(version);
            }
        }
        try {
            return new Claimed(new String(kek.open(sealed, purpose(userId, connectorId)), StandardCharsets.UTF_8),
                    version + 1);
        } catch (GeneralSecurityException e) {
            // sealed under another KEK (or altered): as good as no token; the person logs in again
            return new None();
        }
    }

    /** Ends the lease: keeps the rotated token, or forgets a refused one, unless a login replaced it meanwhile. */
    private void release(String userId, String connectorId, long version, @Nullable String keep, boolean forget) {
        database.inTransaction(c -> {
            if (forget) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM upstream_refresh_tokens WHERE user_id = ? AND version = ?")) {
                    ps.setString(1, userId);
                    ps.setLong(2, version);
                    return ps.executeUpdate();
                }
            }
            String sql = keep == null
                    ? "UPDATE upstream_refresh_tokens SET lease_until = NULL, version = version + 1, updated_at = ? "
                    + "WHERE user_id = ? AND version = ?"
                    : "UPDATE upstream_refresh_tokens SET lease_until = NULL, version = version + 1, updated_at = ?, "
                    + "sealed = ? WHERE user_id = ? AND version = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setObject(i++, utc(clock.instant()));
                if (keep != null) {
                    ps.setBytes(i++, kek.seal(keep.getBytes(StandardCharsets.UTF_8), purpose(userId, connectorId)));
                }
                ps.setString(i++, userId);
                ps.setLong(i, version);
                return ps.executeUpdate();
            }
        });
    }

    private int replace(Connection c, String userId, String connectorId, byte[] sealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_refresh_tokens SET connector_id = ?, "
                + "sealed = ?, version = version + 1, lease_until = NULL, updated_at = ? WHERE user_id = ?")) {
            ps.setString(1, connectorId);
            ps.setBytes(2, sealed);
            ps.setObject(3, utc(clock.instant()));
            ps.setString(4, userId);
            return ps.executeUpdate();
        }
    }

    private void insert(Connection c, String userId, String connectorId, byte[] sealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_refresh_tokens "
                + "(user_id, connector_id, sealed, version, updated_at) VALUES (?, ?, ?, 1, ?)")) {
            ps.setString(1, userId);
            ps.setString(2, connectorId);
            ps.setBytes(3, sealed);
            ps.setObject(4, utc(clock.instant()));
            ps.executeUpdate();
        }
    }

    private static String purpose(String userId, String connectorId) {
        return "upstream refresh token " + connectorId + " " + userId;
    }
}
