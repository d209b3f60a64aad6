package io.lanyard.authorize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code lanyard_logins_total{result}}: succeeded, refused, throttled, busy, missing_input. */
@Singleton
public class LoginMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public LoginMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(PasswordLogin.Result result) {
        String name = result instanceof PasswordLogin.Failure failure
                ? failure.reason().name().toLowerCase(java.util.Locale.ROOT) : "succeeded";
        counters.computeIfAbsent(name, r -> Counter.builder("lanyard.logins")
                .description("Login attempts on the login page, by result").tag("result", r).register(registry)).increment();
    }
}
