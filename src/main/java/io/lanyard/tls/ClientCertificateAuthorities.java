package io.lanyard.tls;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CAs trusted for {@code tls_client_auth} (RFC 8705 section 2.1), from
 * {@code LANYARD_TLS_CLIENT_CA_FILE}. The TLS layer accepts any client certificate
 * ({@link AnyClientCertificate}), so this is where a chain is actually verified: nothing
 * authenticates a tls_client_auth client unless it passes here.
 */
@Singleton
public final class ClientCertificateAuthorities {
    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public ClientCertificateAuthorities(TlsProperties tls, Clock clock) {
        this.clock = clock;
        String file = tls.clientCaFile();
        if (!tls.enabled() || file == null || file.isBlank()) {
            this.anchors = Set.of();
        } else {
            List<X509Certificate> cas = PemFiles.certificates(Path.of(file), "LANYARD_TLS_CLIENT_CA_FILE (" + file + ")");
            this.anchors = cas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toUnmodifiableSet());
        }
    }

    private boolean isAnchor(X509Certificate certificate) {
        return anchors.stream().anyMatch(a -> a.getTrustedCert().equals(certificate));
    }

    /**
     * Whether {@code chain} (the client's certificate first, then any intermediates it sent) leads
     * to one of the trusted CAs and is valid now. Revocation is not checked: there is no CRL or OCSP
     * configuration, so a client is withdrawn by changing its registration.
     */
    public boolean trusts(@Nullable List<X509Certificate> chain) {
        if (anchors.isEmpty() || chain == null) {
            return false;
        }
        // a client may send the root too; a PKIX path ends below its trust anchor, and a CA
        // certificate presented as the client's own authenticates no one
        List<X509Certificate> path = chain.stream().takeWhile(c -> !isAnchor(c)).toList();
        if (path.isEmpty()) {
            return false;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            var certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
