package io.lanyard.tls;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behind a proxy (Ingress, Gateway) that terminates TLS: Lanyard listens on plain HTTP, yet
 * discovery names the https issuer that clients use, also in the prod profile.
 */
class TlsBehindProxyTest {

    @Test
    void discoveryNamesTheHttpsIssuerWhileLanyardIsReachedOverPlainHttp() throws Exception {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshH2());
        props.put("lanyard.profile", "prod");
        props.put("lanyard.issuer", "https://lanyard.example.com");
        try (LanyardServer server = LanyardServer.start(props)) {
            assertTrue(server.url("/").startsWith("http://127.0.0.1:"), server.url("/"));
            HttpResponse<String> response = server.get("/.well-known/openid-configuration");
            assertEquals(200, response.statusCode(), response.body());
            Map<String, Object> metadata = JSONObjectUtils.parse(response.body());
            assertEquals("https://lanyard.example.com", metadata.get("issuer"));
            assertEquals("https://lanyard.example.com/jwks", metadata.get("jwks_uri"));
            assertEquals("https://lanyard.example.com/token", metadata.get("token_endpoint"));

            TlsSettings settings = server.bean(TlsSettings.class);
            assertFalse(settings.serving());
            assertTrue(settings.secureCookies(), "browsers reach the issuer over https, so cookies are Secure");
        }
    }

    @Test
    void plainHttpIssuerGetsNoSecureCookies() {
        try (LanyardServer server = LanyardServer.start(LanyardServer.defaults(TestDatabases.freshH2()))) {
            TlsSettings settings = server.bean(TlsSettings.class);
            assertFalse(settings.serving());
            assertFalse(settings.secureCookies(), "a Secure cookie would never come back over http://localhost");
        }
    }
}
