package io.lanyard.tls;

import io.lanyard.config.LanyardConfigException;
import io.lanyard.config.LanyardProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.ssl.CertificateProvider;
import jakarta.inject.Named;
import org.bouncycastle.util.IPAddress;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The certificate Micronaut's Netty server presents ({@code micronaut.server.ssl.key-name=lanyard}
 * in application.properties), read once from {@code LANYARD_TLS_CERT_FILE} and
 * {@code LANYARD_TLS_KEY_FILE} and held in memory only. Created with the context, so a bad file
 * stops the start with one line before anything listens.
 */
@Context
@Named(TlsCertificateProvider.NAME)
@Requires(property = "micronaut.server.ssl.enabled", value = "true")
@Requires(notEnv = "cli")
public final class TlsCertificateProvider implements CertificateProvider {
    public static final String NAME = "lanyard";
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificateProvider.class);

    private final KeyStore keyStore;

    public TlsCertificateProvider(TlsProperties tls, LanyardProperties lanyard, Clock clock) {
        if (blank(tls.certFile()) || blank(tls.keyFile())) {
            throw new LanyardConfigException("HTTPS needs both LANYARD_TLS_CERT_FILE and LANYARD_TLS_KEY_FILE; "
                    + (blank(tls.certFile()) ? "LANYARD_TLS_CERT_FILE" : "LANYARD_TLS_KEY_FILE") + " is not set");
        }
        if (!lanyard.issuer().startsWith("https://")) {
            throw new LanyardConfigException("Lanyard serves only HTTPS when LANYARD_TLS_CERT_FILE is set, so "
                    + "LANYARD_ISSUER must be an https URL, not '" + lanyard.issuer() + "'");
        }
        String issuerHost;
        try {
            issuerHost = URI.create(lanyard.issuer()).getHost();
        } catch (IllegalArgumentException e) {
            throw new LanyardConfigException("LANYARD_ISSUER '" + lanyard.issuer() + "' is not a URL");
        }
        ServerCertificate certificate = ServerCertificate.read(Path.of(tls.certFile()), Path.of(tls.keyFile()));
        X509Certificate leaf = certificate.leaf();
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            LOG.warn("The TLS certificate is valid only from {} to {}; clients will refuse it now",
                    leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
        List<String> names = certificate.names();
        if (!covers(names, issuerHost)) {
            LOG.warn("The TLS certificate names {} but not {}, the issuer's host; clients that reach Lanyard at "
                    + "the issuer URL will refuse it", names, issuerHost);
        }
        LOG.info("Serving HTTPS with the certificate for {} (expires {})", names, leaf.getNotAfter().toInstant());
        this.keyStore = certificate.keyStore();
    }

    @Override
    public Publisher<KeyStore> getKeyStore() {
        // emits at once on subscription, so the server never listens without a certificate
        return Publishers.just(keyStore);
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** Whether a certificate naming {@code names} is valid for {@code host} (RFC 6125: one-label wildcards). */
    static boolean covers(List<String> names, String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IPAddress.isValid(bare)) {
            return names.stream().filter(IPAddress::isValid).anyMatch(ip -> sameAddress(ip, bare));
        }
        String wanted = bare.toLowerCase(Locale.ROOT);
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(wanted) || n.startsWith("*.") && wanted.indexOf('.') > 0
                    && wanted.substring(wanted.indexOf('.')).equals(n.substring(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are IP literals (checked above), so no name is looked up
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
