package io.lanyard.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.clients.ClientService;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.lanyard.testing.LanyardServer.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed token request gets RFC 6749 section 5.2 JSON with the right status, never a 500. */
class TokenEndpointBadInputTest {
    static LanyardServer server;
    static String secret;
    static String apiSecret;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        secret = server.createClient("svc", Set.of("read", "write"), Set.of("read"), Set.of("api"), null);
        ClientService.WithSecret api = server.bean(ClientService.class).create(Client.builder("resource-only")
                .name("API")
                .build(), true);
        apiSecret = api.secret();
        server.bean(ClientRegistry.class).reload();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals(error, body.get("error"), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(response.body().contains("Exception"), "no stack trace or exception names");
        if (status == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                    "401 carries WWW-Authenticate");
        }
    }

    HttpResponse<String> post(String form) {
        return server.postForm("/token", form, "Authorization", basic("svc", secret));
    }

    @Test
    void missingGrantType() throws Exception {
        assertError(post("scope=read"), 400, "invalid_request");
    }

    @Test
    void repeatedParameter() throws Exception {
        assertError(post("grant_type=client_credentials&grant_type=client_credentials"), 400, "invalid_request");
        assertError(post("grant_type=client_credentials&scope=read&scope=write"), 400, "invalid_request");
    }

    @Test
    void repeatedResourceIsAllowed() throws Exception {
        // RFC 8707 lets resource repeat; here the second one is not allowed, so the answer is about the target
        assertError(post("grant_type=client_credentials&resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example"),
                400, "invalid_target");
    }

    @Test
    void unknownGrantType() throws Exception {
        assertError(post("grant_type=password&username=a&password=b"), 400, "unsupported_grant_type");
        assertError(post("grant_type=%22%3Cscript%3E"), 400, "unsupported_grant_type");
    }

    @Test
    void unknownClientAndWrongSecretLookTheSame() throws Exception {
        HttpResponse<String> unknown = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", basic("nobody", secret));
        HttpResponse<String> wrong = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", basic("svc", secret + "x"));
        assertError(unknown, 401, "invalid_client");
        assertError(wrong, 401, "invalid_client");
        assertEquals(unknown.body(), wrong.body());
    }

    @Test
    void wrongSecretByPost() throws Exception {
        assertError(server.postForm("/token", "grant_type=client_credentials&client_id=svc&client_secret=nope"),
                401, "invalid_client");
    }

    @Test
    void noClientAuthentication() throws Exception {
        assertError(server.postForm("/token", "grant_type=client_credentials"), 401, "invalid_client");
        assertError(server.postForm("/token", "grant_type=client_credentials&client_id=svc"), 401, "invalid_client");
    }

    @Test
    void twoAuthenticationMethods() throws Exception {
        assertError(post("grant_type=client_credentials&client_id=svc&client_secret=" + secret), 400, "invalid_request");
    }

    @Test
    void clientNotAllowedTheGrant() throws Exception {
        assertError(server.postForm("/token", "grant_type=client_credentials",
                "Authorization", basic("resource-only", apiSecret)), 400, "unauthorized_client");
    }

    @Test
    void disallowedScope() throws Exception {
        assertError(post("grant_type=client_credentials&scope=admin"), 400, "invalid_scope");
        assertError(post("grant_type=client_credentials&scope=read%20%22x"), 400, "invalid_scope");
    }

    @Test
    void disallowedAudience() throws Exception {
        assertError(post("grant_type=client_credentials&audience=other"), 400, "invalid_target");
        assertError(post("grant_type=client_credentials&resource=https%3A%2F%2Fevil.example"), 400, "invalid_target");
        assertError(post("grant_type=client_credentials&resource=not-a-uri"), 400, "invalid_target");
        assertError(post("grant_type=client_credentials&resource=https%3A%2F%2Fapi%23frag"), 400, "invalid_target");
    }

    @Test
    void wrongContentType() throws Exception {
        HttpResponse<String> json = LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/token")))
                .header("Content-Type", "application/json")
                .header("Authorization", basic("svc", secret))
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build());
        assertError(json, 400, "invalid_request");
        HttpResponse<String> none = LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/token")))
                .header("Authorization", basic("svc", secret))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertError(none, 400, "invalid_request");
    }

    @Test
    void bodyOverTheLimit() throws Exception {
        String padding = "&pad=" + "x".repeat(20_000);
        assertError(post("grant_type=client_credentials" + padding), 400, "invalid_request");
        String huge = "&pad=" + "x".repeat(200_000);
        assertError(post("grant_type=client_credentials" + huge), 413, "invalid_request");
    }

    @Test
    void getIsRefused() throws Exception {
        HttpResponse<String> response = server.get("/token?grant_type=client_credentials");
        assertEquals(405, response.statusCode());
        assertEquals("invalid_request", JSONObjectUtils.parse(response.body()).get("error"));
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void otherMethodsAreRefusedWithOAuthJson() throws Exception {
        for (String method : new String[]{"PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/token")))
                    .method(method, HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            assertEquals(405, response.statusCode(), method);
            assertEquals("invalid_request", JSONObjectUtils.parse(response.body()).get("error"), method);
        }
    }

    @Test
    void malformedBasicHeader() throws Exception {
        assertError(server.postForm("/token", "grant_type=client_credentials", "Authorization", "Basic %%%not-base64"),
                401, "invalid_client");
        String noColon = "Basic " + Base64.getEncoder().encodeToString("svc".getBytes());
        assertError(server.postForm("/token", "grant_type=client_credentials", "Authorization", noColon),
                401, "invalid_client");
        assertError(server.postForm("/token", "grant_type=client_credentials", "Authorization", "Bearer abc"),
                401, "invalid_client");
        assertError(server.postForm("/token", "grant_type=client_credentials", "Authorization", "Basic"),
                401, "invalid_client");
    }

    @Test
    void clientIdThatDisagreesWithBasic() throws Exception {
        assertError(post("grant_type=client_credentials&client_id=someone-else"), 400, "invalid_request");
    }

    @Test
    void refusalsAreCountedPerErrorCode() throws Exception {
        server.postForm("/token", "grant_type=client_credentials", "Authorization", basic("svc", "nope"));
        String metrics = server.management("/prometheus").body();
        assertTrue(metrics.contains("lanyard_oauth_errors_total{error=\"invalid_client\"}"), metrics);
    }

    @Test
    void malformedPercentEncodingIsRefusedNotIgnored() throws Exception {
        // a lenient parser would drop the pair and grant the default scope or every audience
        assertError(post("grant_type=client_credentials&scope=%zz"), 400, "invalid_request");
        assertError(post("grant_type=client_credentials&resource=%E0%A4%A"), 400, "invalid_request");
    }

    @Test
    void emptySecretIsNoCredential() throws Exception {
        assertError(server.postForm("/token", "grant_type=client_credentials", "Authorization", basic("svc", "")),
                401, "invalid_client");
    }

    @Test
    void basicCredentialsAreFormDecoded() throws Exception {
        // RFC 6749 section 2.3.1: id and secret are form-urlencoded before base64
        String encoded = "%" + String.format("%02X", (int) secret.charAt(0)) + secret.substring(1);
        HttpResponse<String> response = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", basic("svc", encoded));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void garbageBody() throws Exception {
        assertError(post("%%%&&&==="), 400, "invalid_request");
    }
}
