package io.lanyard.runtime;

import io.lanyard.clients.ClientRegistry;
import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.revocation.RevocationStore;
import io.lanyard.revocation.RevokedTokens;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import io.lanyard.users.UserStatusCache;
import io.lanyard.users.UserStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps this replica's caches in step with the database: one small query per interval, a reload
 * only when another writer bumped a version. When the database is away the caches keep serving
 * what they hold, so tokens are still issued and verified.
 */
@Singleton
@Requires(notEnv = "cli")
public class CacheRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

    private final Database database;
    private final KeyRingHolder keys;
    private final ClientRegistry clients;
    private final UserStatusCache userStatus;
    private final KeyRotator rotator;
    private final RevokedTokens revoked;
    private volatile Map<String, Long> seen;
    private volatile boolean failing;
    private volatile Instant failingSince;
    private final Clock clock;
    private volatile Instant lastRefresh;

    public CacheRefresher(Database database, KeyRingHolder keys, ClientRegistry clients, KeyRotator rotator,
                          Clock clock, UserStatusCache userStatus, RevokedTokens revoked) {
        this.revoked = revoked;
        this.userStatus = userStatus;
        this.clock = clock;
        this.lastRefresh = clock.instant();
        this.database = database;
        this.keys = keys;
        this.clients = clients;
        this.rotator = rotator;
    }

    @Scheduled(fixedDelay = "${lanyard.cache.refresh-interval:5s}", initialDelay = "${lanyard.cache.refresh-interval:5s}")
    public void refresh() {
        try {
            Map<String, Long> versions = database.query(CacheVersions::read);
            Map<String, Long> previous = seen;
            if (previous == null || !versions.get(CacheVersions.KEYS).equals(previous.get(CacheVersions.KEYS))) {
                keys.reload();
            }
            if (previous == null || !versions.get(CacheVersions.CLIENTS).equals(previous.get(CacheVersions.CLIENTS))) {
                clients.reload();
            }
            if (previous == null || !Objects.equals(versions.get(UserStore.CACHE), previous.get(UserStore.CACHE))) {
                userStatus.reload();
            }
            if (previous == null || revoked.fullReadDue() || !Objects.equals(versions.get(RevocationStore.CACHE),
                    previous.get(RevocationStore.CACHE))) {
                revoked.refresh();
            }
            seen = versions;
            lastRefresh = clock.instant();
            if (failing) {
                LOG.info("Database reachable again; caches refreshed");
                failing = false;
                failingSince = null;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Cannot refresh caches from the database, serving what is in memory: {}", e.getMessage());
                failing = true;
                failingSince = clock.instant();
            }
        }
    }

    /** When the caches last matched the database (start-up counts). */
    public Instant lastRefresh() {
        return lastRefresh;
    }

    /** When the last refresh began failing, or null while the database answers. */
    public Instant databaseFailingSince() {
        return failingSince;
    }

    @Scheduled(fixedDelay = "${lanyard.keys.check-interval:60s}", initialDelay = "${lanyard.keys.check-interval:60s}")
    public void rotate() {
        try {
            if (!rotator.rotateIfDue().isEmpty()) {
                refresh();
            }
        } catch (RuntimeException e) {
            LOG.warn("Key rotation check failed, will retry: {}", e.getMessage());
        }
    }
}
