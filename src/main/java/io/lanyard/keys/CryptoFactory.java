package io.lanyard.keys;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Factory
public class CryptoFactory {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoFactory.class);

    @Singleton
    CryptoProvider cryptoProvider(KeysProperties properties,
                                  @Value("${lanyard.crypto.provider:}") String override) {
        // The system property lets the test suite run once on each path without touching config.
        String mode = override == null || override.isBlank() ? properties.provider() : override;
        CryptoProvider selected = CryptoProvider.select(mode);
        LOG.info("Signing with {}", selected.name());
        return selected;
    }
}
