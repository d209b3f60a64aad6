package io.lanyard.keys;

import io.lanyard.config.LanyardProperties;
import io.lanyard.config.TokenProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

@Factory
public class KeysFactory {

    @Singleton
    KeyEncryptionKey keyEncryptionKey(LanyardProperties properties) {
        return KekLoader.load(properties);
    }

    @Singleton
    KeyMaterial keyMaterial(CryptoProvider crypto, KeyEncryptionKey kek, KeysProperties keys) {
        return new KeyMaterial(crypto, kek, keys.rsaBits());
    }

    @Singleton
    KeySchedule keySchedule(KeysProperties keys, TokenProperties tokens) {
        return new KeySchedule(keys, tokens.maxLifetime());
    }
}
