package io.lanyard.testing;

import io.lanyard.runtime.TimeFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;

/** In tests that ask for it, the server's clock is one the test can move. */
@Factory
@Requires(property = "lanyard.test.mutable-clock", value = "true")
public class TestClockFactory {
    @Singleton
    @Replaces(factory = TimeFactory.class, bean = Clock.class)
    MutableClock clock() {
        return new MutableClock();
    }
}
