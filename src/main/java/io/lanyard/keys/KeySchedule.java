package io.lanyard.keys;

import io.lanyard.oauth.ClockSkew;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The time rules of a key ring, for the keys of one algorithm ordered newest activation first.
 * Every state follows from activation times and the clock, so replicas agree on which key signs
 * without writing anything when a key becomes active.
 */
public final class KeySchedule {
    private final Duration rotationPeriod;
    private final Duration prePublish;
    private final Duration retention;

    public KeySchedule(KeysProperties keys, Duration maxTokenLifetime) {
        this.rotationPeriod = keys.rotationPeriod();
        this.prePublish = keys.prePublish();
        // A retired key stays published until the last token it signed has expired and every
        // verifier's cached JWKS that lacks it has expired too.
        this.retention = maxTokenLifetime.plus(keys.jwksMaxAge()).plus(ClockSkew.TOLERANCE);
    }

    public Duration prePublish() {
        return prePublish;
    }

    public KeyState state(List<Instant> activations, int index, Instant now, boolean removed) {
        if (removed) {
            return KeyState.REMOVED;
        }
        if (activations.get(index).isAfter(now)) {
            return KeyState.PENDING;
        }
        for (int newer = index - 1; newer >= 0; newer--) {
            if (!activations.get(newer).isAfter(now)) {
                return KeyState.RETIRED;
            }
        }
        return KeyState.ACTIVE;
    }

    /** When the key at {@code index} stops signing: the moment the next newer key activates. */
    public Optional<Instant> retiresAt(List<Instant> activations, int index) {
        return index == 0 ? Optional.empty() : Optional.of(activations.get(index - 1));
    }

    public Optional<Instant> removableAt(List<Instant> activations, int index) {
        return retiresAt(activations, index).map(r -> r.plus(retention));
    }

    /**
     * When a new key is due, the instant it should activate; empty when none is due. A first key
     * activates at once (no verifier can hold a stale JWKS yet); later keys are published
     * {@code prePublish} before they sign.
     */
    public Optional<Instant> nextActivation(List<Instant> activations, Instant now) {
        if (activations.isEmpty()) {
            return Optional.of(now);
        }
        Instant newest = activations.get(0);
        if (newest.isAfter(now)) {
            return Optional.empty();
        }
        Instant due = newest.plus(rotationPeriod);
        if (now.isBefore(due.minus(prePublish))) {
            return Optional.empty();
        }
        Instant earliest = now.plus(prePublish);
        return Optional.of(due.isAfter(earliest) ? due : earliest);
    }
}
