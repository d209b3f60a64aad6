package io.lanyard.tls;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * HTTPS served by Lanyard itself, bound from {@code lanyard.tls.*} ({@code LANYARD_TLS_CERT_FILE},
 * {@code LANYARD_TLS_KEY_FILE}, {@code LANYARD_TLS_CLIENT_CA_FILE}). Unset, Lanyard listens on plain
 * HTTP, e.g. behind a proxy that terminates TLS.
 *
 * @param certFile     PEM: the server certificate first, then any intermediates
 * @param keyFile      PEM: the server certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 * @param clientCaFile PEM bundle: the CAs whose certificates may authenticate {@code tls_client_auth}
 *                     clients (RFC 8705 section 2.1); unset, no such client can authenticate
 */
@ConfigurationProperties("lanyard.tls")
public record TlsProperties(@Nullable String certFile, @Nullable String keyFile, @Nullable String clientCaFile) {

    public boolean enabled() {
        return enabled(certFile, keyFile);
    }

    /** Either file switches TLS on, so that a forgotten other half is refused rather than ignored. */
    static boolean enabled(@Nullable String certFile, @Nullable String keyFile) {
        return certFile != null && !certFile.isBlank() || keyFile != null && !keyFile.isBlank();
    }
}
