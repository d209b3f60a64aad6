package io.lanyard.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Top-level settings, bound from {@code lanyard.*} or the matching environment variables
 * ({@code LANYARD_ISSUER}, {@code LANYARD_PROFILE}, {@code LANYARD_KEK}, {@code LANYARD_KEK_FILE},
 * {@code LANYARD_DATA_DIR}, {@code LANYARD_CONFIG}).
 *
 * @param issuer   the issuer URL, used byte for byte in discovery and in every token's {@code iss}
 * @param profile  {@code dev} (generates what is missing, warns) or {@code prod} (refuses to start without it)
 * @param kek      base64 of the 32-byte key-encryption key for private keys at rest
 * @param kekFile  a file holding the key-encryption key (base64 text or 32 raw bytes)
 * @param dataDir  where dev mode keeps the embedded database and its generated key-encryption key
 * @param config   the declarative YAML file applied at start
 */
@ConfigurationProperties("lanyard")
public record LanyardProperties(
        @Bindable(defaultValue = "http://localhost:8080") String issuer,
        @Bindable(defaultValue = "dev") String profile,
        @Nullable String kek,
        @Nullable String kekFile,
        @Bindable(defaultValue = "./data") String dataDir,
        @Nullable String config) {

    public boolean production() {
        return "prod".equalsIgnoreCase(profile);
    }
}
