package io.lanyard.runtime;

import io.lanyard.keys.KeyRingHolder;
import io.lanyard.keys.KeyRotator;
import io.lanyard.keys.KeysProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ready means "can issue tokens": a signing key for every algorithm is in memory and the caches
 * were refreshed within half the pre-publication period. A database outage shorter than that is
 * reported, not fatal: the token path runs from memory, so taking every replica out of the
 * Service while PostgreSQL restarts would turn a database blip into an outage.
 */
@Singleton
@Readiness
@Requires(notEnv = "cli")
public class ReadinessIndicator implements HealthIndicator {
    private final KeyRingHolder ring;
    private final KeyRotator rotator;
    private final CacheRefresher refresher;
    private final Clock clock;
    private final Duration staleAfter;

    public ReadinessIndicator(KeyRingHolder ring, KeyRotator rotator, CacheRefresher refresher, Clock clock,
                              KeysProperties keys) {
        this.ring = ring;
        this.rotator = rotator;
        this.refresher = refresher;
        this.clock = clock;
        // Other replicas may publish a new key at any time and sign with it pre-publish later; a
        // replica that has not refreshed for half that long stops taking traffic before it could
        // serve a JWKS without the key everyone else signs with.
        this.staleAfter = keys.prePublish().dividedBy(2);
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Instant now = clock.instant();
        boolean canSign = rotator.algorithms().stream().allMatch(a -> ring.current().signingKey(a, now) != null);
        Instant failing = refresher.databaseFailingSince();
        boolean fresh = Duration.between(refresher.lastRefresh(), now).compareTo(staleAfter) < 0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("signing", canSign ? "UP" : "DOWN");
        details.put("database", failing == null ? "UP" : "DOWN since " + failing);
        details.put("caches", fresh ? "UP" : "STALE since " + refresher.lastRefresh());
        return Publishers.just(HealthResult.builder("lanyard", canSign && fresh ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
