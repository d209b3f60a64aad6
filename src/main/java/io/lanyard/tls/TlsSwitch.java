package io.lanyard.tls;

import io.micronaut.context.env.PropertyExpressionResolver;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.value.PropertyResolver;

import java.util.Optional;

/**
 * Answers {@code ${lanyard-tls-enabled}} in application.properties, which sets
 * {@code micronaut.server.ssl.enabled}: Micronaut's Netty server decides on HTTPS from that
 * property alone, and a placeholder cannot say "true when another property is set". Registered in
 * META-INF/services, so it works wherever the properties come from (environment, -D, a test's map).
 */
public final class TlsSwitch implements PropertyExpressionResolver {
    static final String EXPRESSION = "lanyard-tls-enabled";

    @Override
    public <T> Optional<T> resolve(PropertyResolver properties, ConversionService conversion, String expression,
                                   Class<T> requiredType) {
        if (!EXPRESSION.equals(expression)) {
            return Optional.empty();
        }
        boolean enabled = TlsProperties.enabled(properties.get("lanyard.tls.cert-file", String.class).orElse(null),
                properties.get("lanyard.tls.key-file", String.class).orElse(null));
        return conversion.convert(enabled, requiredType);
    }
}
