package io.lanyard.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyScheduleTest {
    static final KeysProperties KEYS = new KeysProperties(List.of("RS256"), 2048, Duration.ofDays(7),
            Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(60), "jdk");
    final KeySchedule schedule = new KeySchedule(KEYS, Duration.ofHours(24));
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void firstKeyActivatesAtOnce() {
        assertEquals(Optional.of(t0), schedule.nextActivation(List.of(), t0));
    }

    @Test
    void nextKeyIsPublishedAnHourBeforeItSigns() {
        List<Instant> one = List.of(t0);
        assertEquals(Optional.empty(), schedule.nextActivation(one, t0.plus(Duration.ofDays(6))));
        Instant due = t0.plus(Duration.ofDays(7));
        assertEquals(Optional.empty(), schedule.nextActivation(one, due.minus(Duration.ofMinutes(61))));
        assertEquals(Optional.of(due), schedule.nextActivation(one, due.minus(Duration.ofHours(1))));
        // checked a minute late, the key still gets its full hour in the JWKS before it signs
        Instant check = due.minus(Duration.ofMinutes(59));
        assertEquals(Optional.of(due.plus(Duration.ofMinutes(1))), schedule.nextActivation(one, check));
        // a late check (replicas were down) still pre-publishes for the full hour
        Instant late = due.plus(Duration.ofDays(2));
        assertEquals(Optional.of(late.plus(Duration.ofHours(1))), schedule.nextActivation(one, late));
    }

    @Test
    void noNewKeyWhileOneIsPending() {
        Instant pending = t0.plus(Duration.ofDays(7));
        assertEquals(Optional.empty(), schedule.nextActivation(List.of(pending, t0), pending.minusSeconds(1)));
    }

    @Test
    void statesFollowTheClock() {
        Instant next = t0.plus(Duration.ofDays(7));
        List<Instant> keys = List.of(next, t0);
        assertEquals(KeyState.PENDING, schedule.state(keys, 0, next.minusSeconds(1), false));
        assertEquals(KeyState.ACTIVE, schedule.state(keys, 1, next.minusSeconds(1), false));
        assertEquals(KeyState.ACTIVE, schedule.state(keys, 0, next, false));
        assertEquals(KeyState.RETIRED, schedule.state(keys, 1, next, false));
        assertEquals(KeyState.REMOVED, schedule.state(keys, 1, next, true));
    }

    @Test
    void retiredKeyIsKeptUntilItsLastTokenAndEveryCachedJwksExpired() {
        Instant next = t0.plus(Duration.ofDays(7));
        List<Instant> keys = List.of(next, t0);
        // 24 h max token lifetime + 5 min JWKS max-age + 30 s skew
        assertEquals(Optional.of(next.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)).plusSeconds(30)),
                schedule.removableAt(keys, 1));
        assertEquals(Optional.empty(), schedule.removableAt(keys, 0));
    }
}
