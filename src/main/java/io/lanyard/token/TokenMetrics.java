package io.lanyard.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code lanyard_tokens_issued_total{grant}} and {@code lanyard_oauth_errors_total{error}}. */
@Singleton
public class TokenMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> issued = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void issued(String grantType) {
        issued.computeIfAbsent(grantType, g -> Counter.builder("lanyard.tokens.issued")
                .description("Tokens issued, by grant type").tag("grant", g).register(registry)).increment();
    }

    public void refused(String errorCode) {
        errors.computeIfAbsent(errorCode, e -> Counter.builder("lanyard.oauth.errors")
                .description("OAuth error responses, by error code").tag("error", e).register(registry)).increment();
    }
}
