package io.lanyard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.MutualTls;
import io.lanyard.testing.TestDatabases;
import io.lanyard.tls.Certificates;
import io.lanyard.tls.PemFiles;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** clients create/update with the RFC 8705 options (--tls-client-auth-*, --tls-client-certificate, --tls-bound-tokens). */
class MutualTlsCliTest {
    private static final String DN = "CN=payments,O=Example Corp";

    @TempDir
    static Path dir;
    static Map<String, Object> settings;
    static X509Certificate certificate;
    static KeyPair certificateKeys;
    static Path certificateFile;

    @BeforeAll
    static void setUp() throws Exception {
        settings = new HashMap<>(TestDatabases.freshPostgres());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        settings.put("lanyard.kek", Base64.getEncoder().encodeToString(kek));
        certificateKeys = Certificates.newKeyPair(Certificates.KeyType.EC);
        certificate = selfSigned(certificateKeys, "CN=robot");
        certificateFile = dir.resolve("robot.pem");
        Files.writeString(certificateFile, PemFiles.encode(certificate));
        // a client that exists before every error case, so "unchanged" covers an update too
        assertEquals(0, run("clients", "create", "existing", "--tls-client-auth-subject-dn", "CN=existing").exitCode());
    }

    static X509Certificate selfSigned(KeyPair keys, String subject) throws Exception {
        Instant now = Instant.now();
        X500Principal name = new X500Principal(subject);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    static CliRun run(String... args) {
        return CliRun.run(settings, args);
    }

    static Map<String, Object> json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSONObjectUtils.parse(run.out());
    }

    static Map<String, Object> show(String clientId) throws Exception {
        return json(run("clients", "show", clientId, "-o", "json"));
    }

    @Test
    void createBySubjectDnWithBoundTokensPrintsNoSecret() throws Exception {
        Map<String, Object> client = json(run("clients", "create", "payments", "--scope", "api",
                "--audience", "https://api.example.com", "--tls-client-auth-subject-dn", DN, "--tls-bound-tokens",
                "-o", "json"));
        assertNull(client.get("client_secret"), "an mTLS client gets no secret");
        assertEquals(false, client.get("has_secret"));
        assertEquals("tls_client_auth", client.get("token_endpoint_auth_method"));
        assertEquals(DN, client.get("tls_client_auth_subject_dn"));
        assertNull(client.get("tls_client_auth_san_dns"));
        assertEquals(true, client.get("tls_client_certificate_bound_access_tokens"));
        assertEquals(client, show("payments"), "what create printed is what was stored");
    }

    @Test
    void createByDnsSanInTableOutput() throws Exception {
        CliRun created = run("clients", "create", "by-dns", "--tls-client-auth-san-dns", "payments.example.com");
        assertEquals(0, created.exitCode(), created.err());
        assertTrue(created.out().contains("tls_client_auth_san_dns: payments.example.com"), created.out());
        assertFalse(created.out().contains("client_secret:"), created.out());
        assertFalse(created.out().contains("the secret is shown once"), created.out());
        Map<String, Object> client = show("by-dns");
        assertEquals("tls_client_auth", client.get("token_endpoint_auth_method"));
        assertEquals(false, client.get("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    void createSelfSignedFromAPemFile() throws Exception {
        Map<String, Object> client = json(run("clients", "create", "robot", "--tls-client-certificate",
                certificateFile.toString(), "--tls-bound-tokens", "-o", "json"));
        assertEquals("self_signed_tls_client_auth", client.get("token_endpoint_auth_method"));
        assertEquals(MutualTls.thumbprint(certificate), client.get("tls_client_certificate_x5t#S256"));
        assertNull(client.get("tls_client_auth_subject_dn"));
        assertNull(client.get("client_secret"));
        assertEquals(false, client.get("has_secret"));
    }

    @Test
    void updateFromSecretToMutualTlsToKeysAndBackToASecret() throws Exception {
        Map<String, Object> created = json(run("clients", "create", "moving", "-o", "json"));
        assertTrue(created.get("client_secret") instanceof String);

        Map<String, Object> tls = json(run("clients", "update", "moving", "--tls-client-auth-san-uri",
                "spiffe://example.org/moving", "--tls-bound-tokens", "-o", "json"));
        assertEquals(false, tls.get("has_secret"), "switching to mTLS drops the secret");
        assertNull(tls.get("client_secret"));
        assertEquals("tls_client_auth", tls.get("token_endpoint_auth_method"));
        assertEquals("spiffe://example.org/moving", tls.get("tls_client_auth_san_uri"));
        assertEquals(true, tls.get("tls_client_certificate_bound_access_tokens"));

        Map<String, Object> unbound = json(run("clients", "update", "moving", "--no-tls-bound-tokens", "-o", "json"));
        assertEquals(false, unbound.get("tls_client_certificate_bound_access_tokens"));
        assertEquals("spiffe://example.org/moving", unbound.get("tls_client_auth_san_uri"), "the identity stays");

        Map<String, Object> selfSigned = json(run("clients", "update", "moving", "--tls-client-certificate",
                certificateFile.toString(), "-o", "json"));
        assertEquals("self_signed_tls_client_auth", selfSigned.get("token_endpoint_auth_method"));
        assertNull(selfSigned.get("tls_client_auth_san_uri"), "the new identity replaces the old one");

        Map<String, Object> keys = json(run("clients", "update", "moving", "--jwks-uri",
                "https://keys.example.com/jwks", "-o", "json"));
        assertEquals("private_key_jwt", keys.get("token_endpoint_auth_method"));
        assertFalse(keys.containsKey("tls_client_certificate_x5t#S256"), "switching to keys drops the certificate");

        Map<String, Object> tlsAgain = json(run("clients", "update", "moving", "--tls-client-auth-subject-dn", DN,
                "-o", "json"));
        assertEquals("tls_client_auth", tlsAgain.get("token_endpoint_auth_method"));
        assertNull(tlsAgain.get("jwks_uri"), "switching to mTLS drops the keys");

        Map<String, Object> secret = json(run("clients", "update", "moving", "--rotate-secret", "-o", "json"));
        assertTrue(secret.get("client_secret") instanceof String s && s.length() == 43, secret.toString());
        assertEquals(true, secret.get("has_secret"));
        assertEquals("client_secret_basic", secret.get("token_endpoint_auth_method"));
        assertFalse(secret.containsKey("tls_client_auth_subject_dn"));
        assertEquals(false, show("moving").containsKey("tls_client_auth_subject_dn"));

        json(run("clients", "create", "keyed", "--jwks-uri", "https://keys.example.com/jwks", "-o", "json"));
        Map<String, Object> fromKeys = json(run("clients", "update", "keyed", "--rotate-secret", "-o", "json"));
        assertTrue(fromKeys.get("client_secret") instanceof String);
        assertNull(fromKeys.get("jwks_uri"), "a secret replaces the keys");
    }

    @Test
    void conflictsAndBadInputWriteNothing() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        Path withKey = Files.writeString(dir.resolve("with-key.pem"),
                PemFiles.encode(certificate) + PemFiles.encode(certificateKeys.getPrivate()));
        Path onlyKey = Files.writeString(dir.resolve("key.pem"), PemFiles.encode(certificateKeys.getPrivate()));
        Path two = Files.writeString(dir.resolve("two.pem"), PemFiles.encode(certificate) + PemFiles.encode(certificate));
        Path der = Files.write(dir.resolve("robot.der"), certificate.getEncoded());
        String missing = dir.resolve("missing.pem").toString();

        assertRefused("has no secret, no keys", "clients", "create", "both", "--jwks-uri",
                "https://keys.example.com/jwks", "--tls-client-auth-subject-dn", DN);
        assertRefused("has no secret, no keys", "clients", "update", "existing", "--jwks-uri",
                "https://keys.example.com/jwks", "--tls-client-auth-subject-dn", DN);
        assertRefused("tls_client_auth needs exactly one of", "clients", "create", "two-names",
                "--tls-client-auth-subject-dn", DN, "--tls-client-auth-san-dns", "payments.example.com");
        assertRefused("tls_client_auth needs exactly one of", "clients", "update", "existing",
                "--tls-client-auth-san-dns", "a.example.com", "--tls-client-auth-san-uri", "spiffe://example.org/a");
        assertRefused("self_signed_tls_client_auth matches the registered certificate, not a subject DN",
                "clients", "create", "cert-and-dn", "--tls-client-certificate", certificateFile.toString(),
                "--tls-client-auth-subject-dn", DN);
        assertRefused("tlsClientAuthSubjectDn: 'not a dn' is not a distinguished name",
                "clients", "create", "bad-dn", "--tls-client-auth-subject-dn", "not a dn");
        assertRefused("tlsClientAuthSubjectDn: 'not a dn' is not a distinguished name",
                "clients", "update", "existing", "--tls-client-auth-subject-dn", "not a dn");
        assertRefused("--tls-client-certificate: cannot read " + missing + ": no such file",
                "clients", "create", "missing", "--tls-client-certificate", missing);
        assertRefused("--tls-client-certificate: " + garbage + " must be one PEM certificate",
                "clients", "create", "garbage", "--tls-client-certificate", garbage.toString());
        assertRefused("must be one PEM certificate", "clients", "update", "existing",
                "--tls-client-certificate", der.toString());
        assertRefused("must be one PEM certificate", "clients", "create", "two-certs",
                "--tls-client-certificate", two.toString());
        assertRefused("--tls-client-certificate: " + withKey + " holds a private key",
                "clients", "create", "with-key", "--tls-client-certificate", withKey.toString());
        assertRefused("holds a private key", "clients", "update", "existing",
                "--tls-client-certificate", onlyKey.toString());
        assertRefused("has no secret, no keys and is not public", "clients", "create", "public-tls", "--public",
                "--redirect-uri", "http://127.0.0.1/callback", "--tls-client-auth-subject-dn", DN);

        assertEquals(0, run("clients", "create", "secretive").exitCode());
        assertRefused("--tls-bound-tokens: only a client authenticating with its TLS certificate",
                "clients", "update", "secretive", "--tls-bound-tokens");
        assertRefused("--tls-bound-tokens: only a client authenticating with its TLS certificate",
                "clients", "create", "bound-keys", "--jwks-uri", "https://keys.example.com/jwks", "--tls-bound-tokens");
        assertRefused("has no secret, no keys", "clients", "update", "existing", "--rotate-secret",
                "--tls-client-auth-subject-dn", DN);
        assertRefused("private_key_jwt has no secret", "clients", "update", "secretive", "--rotate-secret",
                "--jwks-uri", "https://keys.example.com/jwks");
        assertRefused("client 'existing' has no secret to rotate: it authenticates with tls_client_auth "
                + "('clients update existing --rotate-secret' switches it to a secret)", "clients", "rotate-secret", "existing");
    }

    /** The command fails with exit code 2 and {@code message} on stderr, and the clients are as they were. */
    static void assertRefused(String message, String... args) {
        CliRun before = run("clients", "list", "-o", "json");
        CliRun refused = run(args);
        assertEquals(2, refused.exitCode(), String.join(" ", args) + "\n" + refused.out() + refused.err());
        assertTrue(refused.err().contains(message), String.join(" ", args) + ": " + refused.err());
        assertFalse(refused.err().contains("Exception"), "no stack trace: " + refused.err());
        assertEquals("", refused.out(), "nothing printed as if it had worked");
        assertEquals(before.out(), run("clients", "list", "-o", "json").out(), String.join(" ", args));
    }
}
