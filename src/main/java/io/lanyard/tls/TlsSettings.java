package io.lanyard.tls;

import io.lanyard.config.LanyardProperties;
import io.lanyard.oauth.ClientAuthMethods;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.List;

/** Transport facts other features need, e.g. the login page for its cookies. */
@Singleton
public final class TlsSettings {
    private final boolean serving;
    private final boolean secureCookies;
    private final List<String> mutualTlsMethods;

    public TlsSettings(LanyardProperties lanyard, TlsProperties tls,
                       @Value("${micronaut.server.ssl.client-authentication:}") String clientAuthentication) {
        this.serving = tls.enabled();
        boolean asksForCertificates = clientAuthentication.equalsIgnoreCase("want")
                || clientAuthentication.equalsIgnoreCase("need");
        // Browsers reach Lanyard at the issuer URL. An https issuer means HTTPS there, also when a
        // proxy terminates TLS and Lanyard itself listens on plain HTTP.
        this.secureCookies = lanyard.issuer().startsWith("https://");
        // Behind a TLS-terminating proxy Lanyard never sees a client certificate. tls_client_auth
        // needs CAs to verify against; a self-signed certificate is matched against its registration.
        boolean clientCas = tls.clientCaFile() != null && !tls.clientCaFile().isBlank();
        this.mutualTlsMethods = !serving || !asksForCertificates ? List.of() : clientCas ? ClientAuthMethods.MUTUAL_TLS
                : List.of(ClientAuthMethods.SELF_SIGNED_TLS_CLIENT_AUTH);
    }

    /** The RFC 8705 client authentication methods that work with this configuration. */
    public List<String> mutualTlsMethods() {
        return mutualTlsMethods;
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
