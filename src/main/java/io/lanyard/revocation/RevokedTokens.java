package io.lanyard.revocation;

import io.lanyard.storage.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revoked access tokens that have not yet expired, by {@code jti}, in memory: every path that
 * accepts an access token (introspection, userinfo, token exchange, the TokenReview webhook) asks
 * here without a query. A revocation made on this replica counts at once; one made on another, at
 * this replica's next cache refresh, which reads only the rows added since the last one.
 */
@Singleton
public class RevokedTokens {
    private static final Logger LOG = LoggerFactory.getLogger(RevokedTokens.class);
    /**
     * How far back each refresh reads again. A row's revoked_at is its transaction's start on the
     * database's clock, so a transaction that committed after a later one must still be seen; these
     * transactions are a few statements under the database timeout, far below a minute.
     */
    private static final Duration OVERLAP = Duration.ofMinutes(1);
    /**
     * How often every row is read again, version move or not: a database clock stepped back by more
     * than the overlap (a failover to a host whose clock is behind) would otherwise hide rows for good.
     */
    private static final Duration FULL_READ = Duration.ofMinutes(10);

    private final Database database;
    private final Clock clock;
    /** jti to expiry in epoch seconds. */
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private Instant readUpTo = Instant.EPOCH;
    private volatile Instant lastFullRead = Instant.EPOCH;

    public RevokedTokens(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public boolean revoked(String jti) {
        return revoked.containsKey(jti);
    }

    /** Lists one access token as revoked until {@code expiresAt}, for every replica. */
    public void revoke(String jti, Instant expiresAt) {
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) {
            return; // an expired token is refused for that alone
        }
        database.inTransaction(c -> {
            RevocationStore.revoke(c, jti, expiresAt);
            RevocationStore.sweep(c, now.minus(Duration.ofMinutes(5)));
            return null;
        });
        revoked.put(jti, expiresAt.getEpochSecond());
        LOG.info("access token {} revoked", jti);
    }

    /** True when the periodic read of every row is due. */
    public boolean fullReadDue() {
        return !clock.instant().isBefore(lastFullRead.plus(FULL_READ));
    }

    /**
     * Reads the rows added since the last read (every row the first time and every ten minutes) and
     * forgets expired ones. Rows are only ever added, so a read merges into what is held.
     */
    public synchronized void refresh() {
        Instant now = clock.instant();
        boolean full = fullReadDue();
        Instant after = full ? Instant.EPOCH : readUpTo.minus(OVERLAP);
        List<RevocationStore.Revoked> rows = database.query(c -> RevocationStore.since(c, after, now));
        Instant newest = readUpTo;
        for (RevocationStore.Revoked row : rows) {
            revoked.put(row.jti(), row.expiresAt().getEpochSecond());
            if (row.revokedAt().isAfter(newest)) {
                newest = row.revokedAt();
            }
        }
        readUpTo = newest;
        if (full) {
            lastFullRead = now;
        }
        long nowSeconds = now.getEpochSecond();
        revoked.values().removeIf(expiry -> expiry < nowSeconds);
    }
}
