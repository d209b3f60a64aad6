package io.lanyard.tls;

import io.lanyard.config.LanyardConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The certificate chain Lanyard serves and its private key, read from PEM and checked to belong
 * together: a mismatch would otherwise only show as failed handshakes once clients connect.
 *
 * @param chain the server certificate, then any intermediates, as the file lists them
 * @param key   the server certificate's private key
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key) {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    public static ServerCertificate read(Path certFile, Path keyFile) {
        String certLabel = "LANYARD_TLS_CERT_FILE (" + certFile + ")";
        String keyLabel = "LANYARD_TLS_KEY_FILE (" + keyFile + ")";
        List<X509Certificate> chain = PemFiles.certificates(certFile, certLabel);
        PrivateKey key = PemFiles.privateKey(keyFile, keyLabel);
        X509Certificate leaf = chain.get(0);
        if (!PemFiles.belongTogether(key, leaf.getPublicKey())) {
            throw new LanyardConfigException(keyLabel + " is not the private key of the first certificate in "
                    + certLabel + ", " + leaf.getSubjectX500Principal().getName() + "; the server certificate "
                    + "must come first, followed by its intermediates");
        }
        return new ServerCertificate(List.copyOf(chain), key);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The DNS names and IP addresses in the certificate's subjectAltName: what clients check (Go ignores the CN). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension names nothing
        }
        return names;
    }

    /** An in-memory key store for Micronaut's SSL context; the key is never written anywhere. */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("lanyard", key, null, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new LanyardConfigException("cannot hold the TLS key in a key store: " + e.getMessage(), e);
        }
    }
}
