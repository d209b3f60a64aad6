package io.lanyard.web;

import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health, metrics and every other management endpoint answer on the management port only; the
 * public port, where /authorize and /token are, knows none of them.
 */
class ManagementPortTest {
    private static final List<String> MANAGEMENT = List.of("/health", "/health/liveness", "/health/readiness",
            "/prometheus", "/metrics", "/beans", "/info", "/loggers", "/routes", "/env", "/threaddump");
    private static LanyardServer server;

    @BeforeAll
    static void start() {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePublicPortServesNoManagementEndpoint() {
        for (String path : MANAGEMENT) {
            HttpResponse<String> response = server.get(path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
        }
        assertEquals(200, server.get("/jwks").statusCode(), "the protocol is still here");
    }

    @Test
    void theManagementPortServesProbesAndMetrics() {
        assertEquals(200, server.management("/health/liveness").statusCode());
        assertEquals(200, server.management("/health/readiness").statusCode());
        HttpResponse<String> metrics = server.management("/prometheus");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("lanyard_tokens_issued_total") || metrics.body().contains("jvm_"),
                "Prometheus text format");
        assertEquals(404, server.management("/jwks").statusCode(), "and nothing of the protocol");
    }
}
