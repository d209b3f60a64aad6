package io.lanyard.token;

import io.lanyard.clients.MutualTls;
import io.micronaut.core.annotation.Nullable;

import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * The TLS client certificate the current token request authenticated with, for
 * certificate-bound access tokens (RFC 8705 section 3). A property of the connection, not of any
 * grant: rather than widen every grant handler's signature for it, {@link TokenEndpoint.Prepared}
 * sets it around the handler call, on the thread that runs the handler, and clears it after.
 */
final class CertificateBinding {
    private static final ThreadLocal<String> THUMBPRINT = new ThreadLocal<>();

    private CertificateBinding() {
    }

    static <T> T with(@Nullable X509Certificate certificate, Supplier<T> work) {
        if (certificate == null) {
            return work.get();
        }
        THUMBPRINT.set(MutualTls.thumbprint(certificate));
        try {
            return work.get();
        } finally {
            THUMBPRINT.remove();
        }
    }

    /** {@code x5t#S256} of the certificate of the request being handled, or null. */
    @Nullable
    static String thumbprint() {
        return THUMBPRINT.get();
    }
}
