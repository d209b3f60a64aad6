package io.lanyard.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fetching a remote issuer's keys again when a token names a key id not seen yet, at most once per
 * interval: a flood of tokens with made-up key ids costs the issuer one request per interval. Callers
 * that arrive while a fetch runs wait for it, but not for ever; one issuer's gate delays only the
 * requests that need its keys.
 */
public final class RefetchGate {

    /** A fetch that may fail with {@code E}. */
    @FunctionalInterface
    public interface Fetch<E extends Exception> {
        void run() throws E;
    }

    /** What {@link #runIfDue} did. */
    public enum Ran {
        /** The fetch ran (and returned). */
        FETCHED,
        /** Another fetch started less than the interval ago. */
        TOO_SOON,
        /** Another fetch was still running after the wait. */
        BUSY
    }

    private final Clock clock;
    private final Duration interval;
    private final Duration wait;
    private final ReentrantLock fetching = new ReentrantLock();
    /** When the last fetch started (successful or not); null before the first. */
    private volatile Instant lastFetch;

    /** @param wait how long a caller waits for a fetch another caller is running */
    public RefetchGate(Clock clock, Duration interval, Duration wait) {
        this.clock = clock;
        this.interval = interval;
        this.wait = wait;
    }

    /** Runs {@code fetch} unless one started less than the interval ago, or another still runs past the wait. */
    public <E extends Exception> Ran runIfDue(Fetch<E> fetch) throws E {
        try {
            if (!fetching.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Ran.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Ran.BUSY;
        }
        try {
            Instant now = clock.instant();
            Instant last = lastFetch;
            if (last != null && now.isBefore(last.plus(interval))) {
                return Ran.TOO_SOON;
            }
            lastFetch = now;
            fetch.run();
            return Ran.FETCHED;
        } finally {
            fetching.unlock();
        }
    }
}
