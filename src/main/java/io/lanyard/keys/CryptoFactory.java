package io.lanyard.keys;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Factory
public class CryptoFactory {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoFactory.class);

    @Singleton
    CryptoProvider cryptoProvider(KeysProperties properties) {
        CryptoProvider selected = CryptoProvider.select(properties.provider());
        LOG.info("Signing with {}", selected.name());
        return selected;
    }
}
