package io.lanyard.runtime;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

@Factory
public class TimeFactory {
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
