package io.lanyard.cli;

import io.lanyard.tls.Certificates;
import io.lanyard.tls.DevCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.lanyard.cli.StartupConfigTest.assertRefused;
import static io.lanyard.cli.StartupConfigTest.serve;

/** TLS files that cannot work stop the server with one line and exit code 2, before anything listens. */
class TlsStartupConfigTest {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    @BeforeAll
    static void certificates() throws Exception {
        DevCa.issue(dir.resolve("a"), List.of("localhost"), 30, Certificates.KeyType.EC, false, Clock.systemUTC());
        DevCa.issue(dir.resolve("b"), List.of("localhost"), 30, Certificates.KeyType.EC, false, Clock.systemUTC());
        cert = dir.resolve("a").resolve(DevCa.SERVER_CERT);
        key = dir.resolve("a").resolve(DevCa.SERVER_KEY);
    }

    static CliRun serveTls(Object certFile, Object keyFile, String issuer) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.ssl.port", "-1");
        settings.put("lanyard.issuer", issuer);
        if (certFile != null) {
            settings.put("lanyard.tls.cert-file", certFile.toString());
        }
        if (keyFile != null) {
            settings.put("lanyard.tls.key-file", keyFile.toString());
        }
        return serve(settings);
    }

    static CliRun serveTls(Object certFile, Object keyFile) throws Exception {
        return serveTls(certFile, keyFile, "https://localhost:8443");
    }

    @Test
    void missingFile() throws Exception {
        assertRefused(serveTls(dir.resolve("nope.pem"), key), "cannot read LANYARD_TLS_CERT_FILE ("
                + dir.resolve("nope.pem") + "): no such file");
        assertRefused(serveTls(cert, dir.resolve("nope.pem")), "cannot read LANYARD_TLS_KEY_FILE");
    }

    @Test
    void onlyOneOfTheTwo() throws Exception {
        assertRefused(serveTls(cert, null), "LANYARD_TLS_KEY_FILE is not set");
        assertRefused(serveTls(null, key), "LANYARD_TLS_CERT_FILE is not set");
    }

    @Test
    void keyOfAnotherCertificate() throws Exception {
        assertRefused(serveTls(cert, dir.resolve("b").resolve(DevCa.SERVER_KEY)),
                "is not the private key of the first certificate in LANYARD_TLS_CERT_FILE");
    }

    @Test
    void garbage() throws Exception {
        Path text = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        assertRefused(serveTls(text, key), "holds no PEM certificate");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertRefused(serveTls(broken, key), "LANYARD_TLS_CERT_FILE (" + broken + ") is not valid PEM");
        assertRefused(serveTls(cert, text), "holds no private key");
    }

    @Test
    void plainHttpIssuerWhileServingOnlyHttps() throws Exception {
        assertRefused(serveTls(cert, key, "http://localhost:8080"), "LANYARD_ISSUER must be an https URL");
    }
}
