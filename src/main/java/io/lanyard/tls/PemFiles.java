package io.lanyard.tls;

import io.lanyard.config.LanyardConfigException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM certificates and private keys in and out. Errors name the file (by the {@code label} the
 * caller gives, e.g. the environment variable) and say what it should hold. Keys are converted
 * with the JDK's own key factories, so no security provider is registered.
 */
public final class PemFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file, String label) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(file, label)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new LanyardConfigException(label + " holds a certificate the JDK cannot read: " + reason(e));
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new LanyardConfigException(label + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The one unencrypted private key in the file: PKCS#8, PKCS#1 RSA or SEC1 EC. */
    public static PrivateKey privateKey(Path file, String label) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PrivateKey> keys = new ArrayList<>();
        for (Object object : objects(file, label)) {
            try {
                if (object instanceof PEMKeyPair pair) {
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new LanyardConfigException(label + " holds an encrypted private key; Lanyard reads only "
                            + "unencrypted keys (protect the file instead: mode 0600, a Kubernetes Secret)");
                }
                // anything else (EC PARAMETERS, certificates) is not a key and is skipped
            } catch (IOException e) {
                throw new LanyardConfigException(label + " holds a private key the JDK cannot read: " + reason(e));
            }
        }
        if (keys.size() != 1) {
            throw new LanyardConfigException(label + (keys.isEmpty()
                    ? " holds no private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"
                    : " holds " + keys.size() + " private keys; it must hold exactly one"));
        }
        return keys.get(0);
    }

    /** Whether the private key is the one whose public half is given: it signs, and the public key verifies. */
    public static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the key type is the signature algorithm
        };
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8, which Go, OpenSSL and Lanyard all read. */
    public static String encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** PEM text: the type line, base64 in 64-character lines, the end line. */
    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<Object> objects(Path file, String label) {
        String text;
        try {
            // Latin-1 never fails to decode, so a binary file is reported as "holds no PEM ..." below.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new LanyardConfigException("cannot read " + label + ": no such file");
        } catch (AccessDeniedException e) {
            throw new LanyardConfigException("cannot read " + label + ": permission denied");
        } catch (IOException e) {
            throw new LanyardConfigException("cannot read " + label + ": " + reason(e));
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            // BC reports bad base64 or DER as IOException or its own runtime exceptions
            throw new LanyardConfigException(label + " is not valid PEM: " + reason(e));
        }
        return objects;
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
