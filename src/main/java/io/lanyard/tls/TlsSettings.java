package io.lanyard.tls;

import io.lanyard.LanyardProperties;
import jakarta.inject.Singleton;

/** Transport facts other features need, e.g. the login page for its cookies. */
@Singleton
public final class TlsSettings {
    private final boolean serving;
    private final boolean secureCookies;

    public TlsSettings(LanyardProperties lanyard, TlsProperties tls) {
        this.serving = tls.enabled();
        // Browsers reach Lanyard at the issuer URL. An https issuer means HTTPS there, also when a
        // proxy terminates TLS and Lanyard itself listens on plain HTTP.
        this.secureCookies = lanyard.issuer().startsWith("https://");
    }

    /** Lanyard itself terminates TLS (LANYARD_TLS_CERT_FILE is set). */
    public boolean serving() {
        return serving;
    }

    /** Cookies should carry {@code Secure}: the issuer is https. */
    public boolean secureCookies() {
        return secureCookies;
    }
}
