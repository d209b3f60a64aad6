package io.lanyard.tls;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lanyard serving HTTPS with a certificate from {@code tls dev-ca}, reached as kube-apiserver
 * reaches it: by the issuer's host, trusting nothing but the CA file, verifying the host name.
 */
class TlsEndToEndTest {
    @TempDir
    static Path dir;
    static LanyardServer server;
    static String issuer;
    static HttpClient trusting;

    @BeforeAll
    static void start() {
        DevCaRun.ok(dir, "--host", "localhost", "--host", "127.0.0.1", "--host", "lanyard.example.com");
        Map<String, Object> props = LanyardServer.withTls(LanyardServer.defaults(TestDatabases.freshH2()),
                dir.resolve("server.pem"), dir.resolve("server-key.pem"), "localhost");
        issuer = (String) props.get("lanyard.issuer");
        server = LanyardServer.start(props);
        trusting = LanyardServer.clientTrusting(dir.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void discoveryAndJwksOverHttpsByNameAndByAddress() throws Exception {
        for (String host : List.of("localhost", "127.0.0.1")) {
            HttpResponse<String> discovery = get(trusting, server.httpsUrl(host, "/.well-known/openid-configuration"));
            assertEquals(200, discovery.statusCode(), host);
            Map<String, Object> metadata = JSONObjectUtils.parse(discovery.body());
            assertEquals(issuer, metadata.get("issuer"), "the configured issuer, byte for byte");
            assertEquals(issuer + "/jwks", metadata.get("jwks_uri"));
            String protocol = discovery.sslSession().orElseThrow().getProtocol();
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(protocol), protocol);

            HttpResponse<String> jwks = get(trusting, server.httpsUrl(host, "/jwks"));
            assertEquals(200, jwks.statusCode(), host);
            assertFalse(((List<?>) JSONObjectUtils.parse(jwks.body()).get("keys")).isEmpty());
        }
        assertTrue(issuer.startsWith("https://localhost:"), issuer);
        assertEquals(issuer.replace("localhost", "127.0.0.1"), server.url(""), "the harness's own URL is https too");
    }

    @Test
    void theManagementPortIsPlainHttpForProbes() throws Exception {
        HttpResponse<String> ready = get(LanyardServer.HTTP, server.managementUrl("/health/readiness"));
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(404, get(trusting, server.httpsUrl("localhost", "/health/readiness")).statusCode(),
                "no health on the public HTTPS port");
    }

    @Test
    void everyHttpsResponseCarriesStrictTransportSecurity() throws Exception {
        for (String path : List.of("/jwks", "/.well-known/openid-configuration", "/authorize", "/no-such-page",
                "/token")) {
            HttpResponse<String> response = get(trusting, server.httpsUrl("localhost", path));
            assertEquals(List.of("max-age=31536000"), response.headers().allValues("Strict-Transport-Security"),
                    path + " answered " + response.statusCode());
        }
    }

    @Test
    void tlsOneTwoIsEnoughForOlderClients() throws Exception {
        SSLParameters onlyTls12 = new SSLParameters();
        onlyTls12.setProtocols(new String[]{"TLSv1.2"});
        HttpClient client = HttpClient.newBuilder().sslContext(trusting.sslContext()).sslParameters(onlyTls12).build();
        HttpResponse<String> response = get(client, server.httpsUrl("localhost", "/jwks"));
        assertEquals(200, response.statusCode());
        assertEquals("TLSv1.2", response.sslSession().orElseThrow().getProtocol());
    }

    @Test
    void clientsWithoutTheCaRefuseTheServer() throws Exception {
        // the JDK's default trust store: public CAs only
        assertThrows(SSLHandshakeException.class, () -> get(LanyardServer.HTTP, server.httpsUrl("localhost", "/jwks")));
        Path otherDir = Files.createTempDirectory(dir, "other");
        DevCaRun.ok(otherDir, "--host", "localhost");
        HttpClient otherCa = LanyardServer.clientTrusting(otherDir.resolve("ca.pem"));
        assertThrows(SSLHandshakeException.class, () -> get(otherCa, server.httpsUrl("localhost", "/jwks")));
    }

    @Test
    void noPlainHttpListener() {
        // plain HTTP on the HTTPS port gets no answer (and micronaut.server.port, the same port here, has no listener of its own)
        assertThrows(IOException.class, () -> get(LanyardServer.HTTP, server.httpsUrl("127.0.0.1", "/jwks")
                .replace("https://", "http://")));
    }

    @Test
    void theLoginCodeSeesHttps() {
        TlsSettings settings = server.bean(TlsSettings.class);
        assertTrue(settings.serving());
        assertTrue(settings.secureCookies());
    }
}
