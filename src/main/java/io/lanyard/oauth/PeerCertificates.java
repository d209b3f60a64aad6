package io.lanyard.oauth;

import io.micronaut.http.HttpRequest;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The TLS client certificate and the intermediates sent with it (RFC 8705), for client authentication. */
public final class PeerCertificates {
    private PeerCertificates() {
    }

    /** The client's certificate first; empty without TLS or when none was presented. */
    public static List<X509Certificate> of(HttpRequest<?> request) {
        SSLSession session = request.getSslSession().orElse(null);
        if (session == null) {
            return List.of();
        }
        try {
            return Arrays.stream(session.getPeerCertificates()).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // no certificate presented
        }
    }
}
