package io.lanyard.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Polls for something another replica or a schedule will make true soon. */
public final class Eventually {
    private Eventually() {
    }

    public static void within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached within " + limit.toSeconds() + " s");
            Thread.sleep(100);
        }
    }
}
