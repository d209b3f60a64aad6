package io.lanyard.tls;

import io.lanyard.config.LanyardConfigException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the served certificate and key: the PEM flavours people have, and the mistakes they make. */
class TlsPemFilesTest {
    /** What `openssl ecparam -genkey` writes before a SEC1 key. */
    static final String EC_PARAMETERS = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

    /** Only to encrypt test keys; Lanyard itself registers no provider. */
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    Path dir;

    record Issued(X509Certificate ca, X509Certificate server, KeyPair serverKeys) {
    }

    static Issued issue(Certificates.KeyType type) {
        Instant now = Instant.now();
        KeyPair caKeys = Certificates.newKeyPair(type);
        X509Certificate ca = Certificates.ca(caKeys, "Test CA", now, now.plus(Duration.ofDays(30)));
        KeyPair serverKeys = Certificates.newKeyPair(type);
        X509Certificate server = Certificates.server(ca, caKeys.getPrivate(), serverKeys.getPublic(),
                List.of("localhost", "127.0.0.1"), now, now.plus(Duration.ofDays(1)));
        return new Issued(ca, server, serverKeys);
    }

    /** SEC1 with the curve inside, as `openssl ec` and `openssl ecparam -genkey` write it. */
    static String sec1(PrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey bare = ECPrivateKey.getInstance(info.getPrivateKey().getOctets());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        return PemFiles.encode("EC PRIVATE KEY", new ECPrivateKey(256, bare.getKey(), curve).getEncoded());
    }

    /** PKCS#1 for RSA, as BC and openssl's traditional output write it. */
    static String traditional(Object key) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        }
        return text.toString();
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    ServerCertificate read(String cert, String key) throws Exception {
        return ServerCertificate.read(file("cert.pem", cert), file("key.pem", key));
    }

    String refusal(String cert, String key) {
        return assertThrows(LanyardConfigException.class, () -> read(cert, key)).getMessage();
    }

    @Test
    void everyUnencryptedKeyFormat() throws Exception {
        Issued ec = issue(Certificates.KeyType.EC);
        String cert = PemFiles.encode(ec.server());
        read(cert, PemFiles.encode(ec.serverKeys().getPrivate()));
        String sec1 = sec1(ec.serverKeys().getPrivate());
        read(cert, sec1);
        read(cert, EC_PARAMETERS + sec1);

        Issued rsa = issue(Certificates.KeyType.RSA);
        String pkcs1 = traditional(rsa.serverKeys().getPrivate());
        assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1);
        ServerCertificate certificate = read(PemFiles.encode(rsa.server()), pkcs1);
        assertEquals(List.of("localhost", "127.0.0.1"), certificate.names());
    }

    @Test
    void theChainIsServedInOrderIntoAnInMemoryKeyStore() throws Exception {
        Issued ec = issue(Certificates.KeyType.EC);
        ServerCertificate certificate = read(PemFiles.encode(ec.server()) + PemFiles.encode(ec.ca()),
                PemFiles.encode(ec.serverKeys().getPrivate()));
        KeyStore store = certificate.keyStore();
        Certificate[] chain = store.getCertificateChain("lanyard");
        assertArrayEquals(new Certificate[]{ec.server(), ec.ca()}, chain);
        assertTrue(store.isKeyEntry("lanyard"));

        String reversed = refusal(PemFiles.encode(ec.ca()) + PemFiles.encode(ec.server()),
                PemFiles.encode(ec.serverKeys().getPrivate()));
        assertTrue(reversed.contains("is not the private key of the first certificate")
                && reversed.contains("must come first"), reversed);
    }

    @Test
    void mistakesAreNamed() throws Exception {
        Issued ec = issue(Certificates.KeyType.EC);
        Issued other = issue(Certificates.KeyType.EC);
        Issued rsa = issue(Certificates.KeyType.RSA);
        String cert = PemFiles.encode(ec.server());
        String key = PemFiles.encode(ec.serverKeys().getPrivate());

        assertTrue(refusal(cert, PemFiles.encode(other.serverKeys().getPrivate())).contains("is not the private key"));
        assertTrue(refusal(cert, PemFiles.encode(rsa.serverKeys().getPrivate())).contains("is not the private key"));
        assertTrue(refusal(key, key).startsWith("LANYARD_TLS_CERT_FILE (" + dir.resolve("cert.pem") + ") holds no PEM certificate"));
        assertTrue(refusal(cert, cert).startsWith("LANYARD_TLS_KEY_FILE (" + dir.resolve("key.pem") + ") holds no private key"));
        assertTrue(refusal(cert, key + PemFiles.encode(other.serverKeys().getPrivate())).contains("holds 2 private keys"));
        assertTrue(refusal("", key).contains("holds no PEM certificate"));
        assertTrue(refusal(cert, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .contains("LANYARD_TLS_KEY_FILE"));
        String binary = refusal(new String(ec.server().getEncoded(), StandardCharsets.ISO_8859_1), key);
        assertTrue(binary.contains("holds no PEM certificate"), "DER instead of PEM: " + binary);

        String encryptedPkcs8 = pem(new JcaPKCS8Generator(ec.serverKeys().getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                        .setPassword("secret".toCharArray()).build()));
        assertTrue(encryptedPkcs8.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), encryptedPkcs8);
        assertTrue(refusal(cert, encryptedPkcs8).contains("holds an encrypted private key"));
        StringWriter legacy = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(legacy)) {
            writer.writeObject(ec.serverKeys().getPrivate(), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC)
                    .build("secret".toCharArray()));
        }
        assertTrue(legacy.toString().contains("Proc-Type: 4,ENCRYPTED"), legacy.toString());
        assertTrue(refusal(cert, legacy.toString()).contains("holds an encrypted private key"));

        Path missing = dir.resolve("missing.pem");
        String noFile = assertThrows(LanyardConfigException.class,
                () -> ServerCertificate.read(missing, file("key.pem", key))).getMessage();
        assertEquals("cannot read LANYARD_TLS_CERT_FILE (" + missing + "): no such file", noFile);
    }

    static String pem(JcaPKCS8Generator generator) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator);
        }
        return text.toString();
    }

    @Test
    void hostNamesAsClientsMatchThem() {
        List<String> names = List.of("localhost", "127.0.0.1", "*.example.com", "0:0:0:0:0:0:0:1");
        for (String host : List.of("localhost", "LOCALHOST", "127.0.0.1", "[::1]", "id.example.com")) {
            assertTrue(TlsCertificateProvider.covers(names, host), host);
        }
        for (String host : List.of("example.com", "a.id.example.com", "127.0.0.2", "lanyard.test")) {
            assertFalse(TlsCertificateProvider.covers(names, host), host);
        }
    }
}
