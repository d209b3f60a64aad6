package io.lanyard.authorize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code lanyard_logins_total{result}}: succeeded, refused, throttled, busy, missing_input; for logins
 * through an upstream, upstream_not_pending, upstream_declined, upstream_wrong_issuer,
 * upstream_refused, upstream_disabled, upstream_unavailable.
 */
@Singleton
public class LoginMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public LoginMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(PasswordLogin.Result result) {
        increment(result instanceof PasswordLogin.Failure failure
                ? failure.reason().name().toLowerCase(java.util.Locale.ROOT) : "succeeded");
    }

    /** A callback from an upstream: succeeded, or upstream_ and the failure (upstream_refused, ...). */
    public void count(UpstreamLogin.Outcome outcome) {
        increment(outcome instanceof UpstreamLogin.Failed failed
                ? "upstream_" + failed.failure().name().toLowerCase(java.util.Locale.ROOT) : "succeeded");
    }

    private void increment(String name) {
        counters.computeIfAbsent(name, r -> Counter.builder("lanyard.logins")
                .description("Login attempts on the login page, by result").tag("result", r).register(registry)).increment();
    }
}
