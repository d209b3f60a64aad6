package io.lanyard.keys;

import com.nimbusds.jose.JWSAlgorithm;
import io.lanyard.config.LanyardConfigException;
import io.lanyard.storage.CacheVersions;
import io.lanyard.storage.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds keys when the schedule says so and removes keys whose last tokens have expired. Each
 * algorithm is changed under its row lock, so replicas that run at the same moment queue up and
 * the later one finds the key the earlier one made: exactly one new key per rotation.
 */
@Singleton
public class KeyRotator {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotator.class);

    private final Database database;
    private final KeyMaterial material;
    private final KeySchedule schedule;
    private final List<JWSAlgorithm> algorithms;
    private final Clock clock;

    public KeyRotator(Database database, KeyMaterial material, KeySchedule schedule, KeysProperties keys, Clock clock) {
        this.database = database;
        this.material = material;
        this.schedule = schedule;
        this.algorithms = keys.algorithms().stream().map(KeyMaterial::algorithm).distinct().toList();
        this.clock = clock;
    }

    public List<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** Runs the schedule for every algorithm; returns the kids it added. */
    public List<String> rotateIfDue() {
        List<String> added = new ArrayList<>();
        for (JWSAlgorithm alg : algorithms) {
            database.inLongTransaction(c -> {
                KeyStore.lockAlgorithm(c, alg.getName());
                Instant now = clock.instant();
                List<StoredKey> keys = KeyStore.loadAlgorithm(c, alg.getName());
                List<Instant> activations = keys.stream().map(StoredKey::activatesAt).toList();
                boolean changed = removeExpired(c, keys, activations, now);
                Optional<Instant> next = schedule.nextActivation(activations, now);
                if (next.isPresent()) {
                    requireSameKek(c);
                    StoredKey key = material.generate(alg, now, next.get());
                    KeyStore.insert(c, key);
                    added.add(key.kid());
                    LOG.info("Added {} key {} (activates {})", alg, key.kid(), key.activatesAt());
                    changed = true;
                }
                if (changed) {
                    CacheVersions.bump(c, CacheVersions.KEYS);
                }
                return null;
            });
        }
        return added;
    }

    /** A server's start: records its pre-publication period, which every other rotator follows. */
    public void recordSchedule() {
        database.inTransaction(c -> {
            KeySettings.record(c, KeySettings.PRE_PUBLISH, schedule.prePublish(), clock.instant());
            return null;
        });
    }

    /**
     * The pre-publication period a new key gets: the servers' as they recorded it, so that a CLI run
     * with other (or default) settings cannot publish a key for too short a time; this process's own
     * when no server has recorded one yet.
     */
    public Duration prePublish() {
        return database.query(c -> KeySettings.recorded(c, KeySettings.PRE_PUBLISH)).orElse(schedule.prePublish());
    }

    /**
     * An operator's rotation: a new PENDING key now, published for the servers' pre-publication period
     * ({@link #prePublish()}), or with {@code activateNow} one that signs at once (verifiers holding a
     * cached JWKS reject its tokens until they refetch).
     */
    public StoredKey rotateNow(JWSAlgorithm alg, boolean activateNow) {
        return database.inLongTransaction(c -> {
            KeyStore.lockAlgorithm(c, alg.getName());
            requireSameKek(c);
            Instant now = clock.instant();
            Duration prePublish = KeySettings.recorded(c, KeySettings.PRE_PUBLISH).orElse(schedule.prePublish());
            StoredKey key = material.generate(alg, now, activateNow ? now : now.plus(prePublish));
            KeyStore.insert(c, key);
            CacheVersions.bump(c, CacheVersions.KEYS);
            LOG.info("Operator added {} key {} (activates {})", alg, key.kid(), key.activatesAt());
            return key;
        });
    }

    /**
     * A key sealed under another KEK than the other replicas' would become ACTIVE where they
     * cannot open it; refuse to write one. Checked under the rotation lock.
     */
    private void requireSameKek(Connection c) throws SQLException {
        java.util.Set<String> existing = KeyStore.kekIds(c);
        existing.remove(material.kekId());
        if (!existing.isEmpty()) {
            throw new LanyardConfigException("the published signing keys were sealed by key-encryption key "
                    + existing + " but this Lanyard has " + material.kekId()
                    + ": give it the same LANYARD_KEK or LANYARD_KEK_FILE as the other replicas");
        }
    }

    private boolean removeExpired(Connection c, List<StoredKey> keys, List<Instant> activations, Instant now)
            throws SQLException {
        boolean changed = false;
        for (int i = 0; i < keys.size(); i++) {
            Optional<Instant> removable = schedule.removableAt(activations, i);
            if (removable.isPresent() && !removable.get().isAfter(now)) {
                KeyStore.markRemoved(c, keys.get(i).kid(), now);
                LOG.info("Removed {} key {} from the JWKS", keys.get(i).alg(), keys.get(i).kid());
                changed = true;
            }
        }
        return changed;
    }
}
