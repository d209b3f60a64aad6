package io.lanyard.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A development CA in a directory and server certificates issued by it. A CA already in the
 * directory is reused, so whoever trusts its ca.pem (kube-apiserver's --oidc-ca-file, kubectl)
 * keeps trusting the server after a new certificate is issued.
 */
public final class DevCa {
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String SERVER_CERT = "server.pem";
    public static final String SERVER_KEY = "server-key.pem";
    /** The CA/Browser Forum's limit; clients such as Apple's refuse longer-lived server certificates. */
    public static final int MAX_DAYS = 397;
    static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /** Backdating, so a client whose clock is a little behind does not see a certificate from the future. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevCa() {
    }

    /**
     * @param newCa   whether the CA was created now (false: the one in the directory was reused)
     * @param written the files written, in order
     */
    public record Result(boolean newCa, X509Certificate ca, X509Certificate server, List<Path> written) {
    }

    /** Writes server.pem and server-key.pem (and ca.pem, ca-key.pem if the directory has no CA). */
    public static Result issue(Path dir, List<String> hosts, int days, Certificates.KeyType keyType, boolean force,
                               Clock clock) throws IOException {
        List<String> names = List.copyOf(new LinkedHashSet<>(hosts));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one --host: the DNS names and IP addresses clients use");
        }
        names.forEach(Certificates::subjectAltName);
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("--days must be between 1 and " + MAX_DAYS + ", not " + days);
        }
        Path caCert = dir.resolve(CA_CERT);
        Path caKey = dir.resolve(CA_KEY);
        Path serverCert = dir.resolve(SERVER_CERT);
        Path serverKey = dir.resolve(SERVER_KEY);
        if (Files.exists(caCert) != Files.exists(caKey)) {
            throw new IllegalArgumentException(dir + " holds " + (Files.exists(caCert) ? CA_CERT : CA_KEY)
                    + " without " + (Files.exists(caCert) ? CA_KEY : CA_CERT) + "; a CA needs both (remove the one "
                    + "left to make a new CA)");
        }
        if (!force && (Files.exists(serverCert) || Files.exists(serverKey))) {
            throw new IllegalArgumentException((Files.exists(serverCert) ? serverCert : serverKey)
                    + " exists; --force replaces the server certificate and key (the CA is kept)");
        }

        Instant notBefore = clock.instant().minus(SKEW);
        boolean newCa = !Files.exists(caCert);
        X509Certificate ca;
        PrivateKey caPrivate;
        List<Path> written = new ArrayList<>();
        Files.createDirectories(dir);
        if (newCa) {
            KeyPair caKeys = Certificates.newKeyPair(keyType);
            byte[] id = new byte[4];
            RANDOM.nextBytes(id);
            ca = Certificates.ca(caKeys, "Lanyard development CA " + HexFormat.of().formatHex(id), notBefore,
                    notBefore.plus(CA_LIFETIME));
            caPrivate = caKeys.getPrivate();
            write(caKey, PemFiles.encode(caPrivate), true);
            write(caCert, PemFiles.encode(ca), false);
            written.add(caCert);
            written.add(caKey);
        } else {
            ca = PemFiles.certificates(caCert, caCert.toString()).get(0);
            caPrivate = PemFiles.privateKey(caKey, caKey.toString());
            checkCa(ca, caPrivate, caCert, clock.instant());
        }

        KeyPair serverKeys = Certificates.newKeyPair(keyType);
        Instant notAfter = notBefore.plus(Duration.ofDays(days)).minusSeconds(1); // RFC 5280 validity includes both ends
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant(); // a certificate cannot outlive its issuer
        }
        X509Certificate server = Certificates.server(ca, caPrivate, serverKeys.getPublic(), names, notBefore, notAfter);
        write(serverKey, PemFiles.encode(serverKeys.getPrivate()), true);
        write(serverCert, PemFiles.encode(server), false);
        written.add(serverCert);
        written.add(serverKey);
        return new Result(newCa, ca, server, written);
    }

    private static void checkCa(X509Certificate ca, PrivateKey key, Path file, Instant now) {
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(file + " is not a CA certificate (basicConstraints CA:FALSE)");
        }
        if (!PemFiles.belongTogether(key, ca.getPublicKey())) {
            throw new IllegalArgumentException(file.resolveSibling(CA_KEY) + " is not the private key of " + file);
        }
        if (!now.plus(Duration.ofDays(1)).isBefore(ca.getNotAfter().toInstant())) {
            throw new IllegalArgumentException("the CA in " + file + " expires " + ca.getNotAfter().toInstant()
                    + "; remove " + CA_CERT + " and " + CA_KEY + " to make a new one (clients then need the new "
                    + CA_CERT + ")");
        }
    }

    /** Through a temporary file in the same directory, so a reader never sees half a file; keys owner-only from the start. */
    private static void write(Path file, String pem, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp;
        try {
            Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
            FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(mode);
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attribute);
            if (!secret) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
        try {
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
