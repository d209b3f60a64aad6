package io.lanyard.clients;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificate a {@code self_signed_tls_client_auth} client registers (RFC 8705 section 2.2):
 * rules shared by every way in (the declarative file, the CLI).
 */
public final class ClientCertificates {
    private ClientCertificates() {
    }

    /**
     * The {@code x5t#S256} thumbprint of the one certificate in {@code pem}. Refuses text that
     * holds anything else: a second certificate would be silently ignored, and a private key must
     * never leave the client, so finding one means the wrong file was given.
     */
    public static String thumbprint(String pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw notOneCertificate();
        }
        for (Object object : objects) {
            if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo
                    || object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IllegalArgumentException("holds a private key; register only the certificate "
                        + "(the key stays with the client)");
            }
        }
        if (objects.size() != 1 || !(objects.get(0) instanceof X509CertificateHolder holder)) {
            throw notOneCertificate();
        }
        X509Certificate certificate;
        try {
            certificate = new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw notOneCertificate();
        }
        return MutualTls.thumbprint(certificate);
    }

    private static IllegalArgumentException notOneCertificate() {
        return new IllegalArgumentException("must be one PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
