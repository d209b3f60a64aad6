package io.lanyard.tls;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * HTTPS served by Lanyard itself, bound from {@code lanyard.tls.*} ({@code LANYARD_TLS_CERT_FILE},
 * {@code LANYARD_TLS_KEY_FILE}). Unset, Lanyard listens on plain HTTP, e.g. behind a proxy that
 * terminates TLS.
 *
 * @param certFile PEM: the server certificate first, then any intermediates
 * @param keyFile  PEM: the server certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 */
@ConfigurationProperties("lanyard.tls")
public record TlsProperties(@Nullable String certFile, @Nullable String keyFile) {

    public boolean enabled() {
        return enabled(certFile, keyFile);
    }

    /** Either file switches TLS on, so that a forgotten other half is refused rather than ignored. */
    static boolean enabled(@Nullable String certFile, @Nullable String keyFile) {
        return certFile != null && !certFile.isBlank() || keyFile != null && !keyFile.isBlank();
    }
}
