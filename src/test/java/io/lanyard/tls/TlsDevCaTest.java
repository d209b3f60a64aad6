package io.lanyard.tls;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code lanyard tls dev-ca}: certificates Go's TLS client accepts, files that are safe to keep. */
class TlsDevCaTest {
    static final String BASIC_CONSTRAINTS = "2.5.29.19";
    static final String KEY_USAGE = "2.5.29.15";
    static final String SUBJECT_KEY_ID = "2.5.29.14";
    static final String AUTHORITY_KEY_ID = "2.5.29.35";
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path dir;

    static X509Certificate certificate(Path file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    static byte[] extension(X509Certificate certificate, String oid) {
        byte[] value = certificate.getExtensionValue(oid);
        assertNotNull(value, oid + " in " + certificate.getSubjectX500Principal());
        return ASN1OctetString.getInstance(value).getOctets();
    }

    @Test
    void theCaAndTheServerCertificateCarryWhatClientsCheck() throws Exception {
        DevCaRun run = DevCaRun.ok(dir, "--host", "localhost", "--host", "127.0.0.1", "--host", "lanyard.example.com",
                "--host", "::1");
        assertTrue(run.out().contains("--oidc-ca-file=" + dir.resolve("ca.pem").toAbsolutePath()), run.out());
        X509Certificate ca = certificate(dir.resolve("ca.pem"));
        X509Certificate server = certificate(dir.resolve("server.pem"));

        assertTrue(ca.getBasicConstraints() >= 0, "CA:TRUE");
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of(BASIC_CONSTRAINTS, KEY_USAGE)));
        boolean[] caUsage = ca.getKeyUsage();
        assertTrue(caUsage[5] && caUsage[6], "keyCertSign and cRLSign");
        assertFalse(caUsage[0] || caUsage[2], "a CA key signs certificates only");
        byte[] caKeyId = SubjectKeyIdentifier.getInstance(extension(ca, SUBJECT_KEY_ID)).getKeyIdentifier();
        ca.verify(ca.getPublicKey());

        assertEquals(-1, server.getBasicConstraints(), "CA:FALSE");
        assertTrue(server.getCriticalExtensionOIDs().containsAll(Set.of(BASIC_CONSTRAINTS, KEY_USAGE)));
        boolean[] usage = server.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        assertFalse(usage[2] || usage[5], "no keyEncipherment for an EC key, never keyCertSign");
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(2, "lanyard.example.com"),
                List.of(7, "0:0:0:0:0:0:0:1")), new HashSet<>(server.getSubjectAlternativeNames()));
        assertNotNull(server.getExtensionValue(SUBJECT_KEY_ID));
        assertArrayEquals(caKeyId, AuthorityKeyIdentifier.getInstance(extension(server, AUTHORITY_KEY_ID)).getKeyIdentifier());
        assertEquals(ca.getSubjectX500Principal(), server.getIssuerX500Principal());
        assertEquals(1, server.getSerialNumber().signum());
        assertEquals(128, server.getSerialNumber().bitLength());
        assertNotEquals(ca.getSerialNumber(), server.getSerialNumber());
        assertEquals("EC", server.getPublicKey().getAlgorithm());

        Instant now = Instant.now();
        Instant notBefore = server.getNotBefore().toInstant();
        assertTrue(notBefore.isBefore(now.minus(Duration.ofMinutes(4))) && notBefore.isAfter(now.minus(Duration.ofMinutes(10))),
                "backdated a few minutes for clock skew: " + notBefore);
        assertEquals(Duration.ofDays(365).minusSeconds(1), Duration.between(notBefore, server.getNotAfter().toInstant()));

        // the JDK's own PKIX validation, with the CA as the only anchor
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        pkix.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(server)), pkix);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server-key.pem"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.pem"))));
        assertTrue(Files.readString(dir.resolve("server-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
        assertTrue(PemFiles.belongTogether(PemFiles.privateKey(dir.resolve("server-key.pem"), "key"), server.getPublicKey()));
        assertTrue(PemFiles.belongTogether(PemFiles.privateKey(dir.resolve("ca-key.pem"), "key"), ca.getPublicKey()));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("ca.pem", "ca-key.pem", "server.pem", "server-key.pem"),
                    new HashSet<>(files.map(f -> f.getFileName().toString()).toList()), "no temporary files left");
        }
    }

    @Test
    void opensslVerifiesTheServerCertificate() throws Exception {
        DevCaRun.ok(dir, "--host", "lanyard.example.com", "--host", "127.0.0.1");
        assumeTrue(opensslInstalled(), "openssl is not installed");
        String verified = openssl("verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname",
                "lanyard.example.com", "-CAfile", dir.resolve("ca.pem").toString(), dir.resolve("server.pem").toString());
        assertEquals(dir.resolve("server.pem") + ": OK", verified.trim());
        String byIp = openssl("verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "127.0.0.1",
                "-CAfile", dir.resolve("ca.pem").toString(), dir.resolve("server.pem").toString());
        assertEquals(dir.resolve("server.pem") + ": OK", byIp.trim());
    }

    @Test
    void aSecondRunReusesTheCaAndReplacesTheServerCertificateOnlyWithForce() throws Exception {
        DevCaRun first = DevCaRun.ok(dir, "--host", "localhost");
        assertTrue(first.out().contains("Created a new CA"), first.out());
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] caKey = Files.readAllBytes(dir.resolve("ca-key.pem"));
        byte[] server = Files.readAllBytes(dir.resolve("server.pem"));

        DevCaRun refused = DevCaRun.run(dir, "--host", "other.example.com");
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--force"), refused.err());
        assertArrayEquals(server, Files.readAllBytes(dir.resolve("server.pem")), "nothing is overwritten without --force");

        DevCaRun again = DevCaRun.ok(dir, "--host", "other.example.com", "--force");
        assertTrue(again.out().contains("Reused the CA"), again.out());
        assertArrayEquals(ca, Files.readAllBytes(dir.resolve("ca.pem")), "clients that trust ca.pem keep trusting");
        assertArrayEquals(caKey, Files.readAllBytes(dir.resolve("ca-key.pem")));
        X509Certificate renewed = certificate(dir.resolve("server.pem"));
        assertFalse(Arrays.equals(server, Files.readAllBytes(dir.resolve("server.pem"))));
        renewed.verify(certificate(dir.resolve("ca.pem")).getPublicKey());
        assertEquals(List.of(List.of(2, "other.example.com")), List.copyOf(renewed.getSubjectAlternativeNames()));
    }

    @Test
    void rsaKeysAndTheLongestValidity() throws Exception {
        DevCaRun.ok(dir, "--host", "localhost", "--key-type", "rsa", "--days", "397");
        X509Certificate server = certificate(dir.resolve("server.pem"));
        assertEquals("RSA", server.getPublicKey().getAlgorithm());
        assertEquals("SHA256withRSA", server.getSigAlgName());
        boolean[] usage = server.getKeyUsage();
        assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment for RSA");
        assertEquals(Duration.ofDays(397).minusSeconds(1),
                Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() throws Exception {
        assertRefused(DevCaRun.run(dir, "--host", "localhost", "--days", "398"), "--days must be between 1 and 397");
        assertRefused(DevCaRun.run(dir, "--host", "bad host!"), "'bad host!' is neither a DNS name nor an IP address");
        assertRefused(DevCaRun.run(dir, "--host", "localhost", "--key-type", "dsa"), "--key-type must be ec or rsa");
        assertEquals(2, DevCaRun.run(dir).exitCode(), "--host is required");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        Files.writeString(dir.resolve("ca.pem"), "left over");
        assertRefused(DevCaRun.run(dir, "--host", "localhost"), "holds ca.pem without ca-key.pem");
        Files.writeString(dir.resolve("ca-key.pem"), "left over");
        assertRefused(DevCaRun.run(dir, "--host", "localhost"), "holds no PEM certificate");
    }

    static void assertRefused(DevCaRun run, String text) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("lanyard: ") && run.err().contains(text), run.err());
        assertEquals(1, run.err().trim().lines().count(), run.err());
    }

    static boolean opensslInstalled() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
