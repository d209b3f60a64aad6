package io.lanyard.resourceserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.lanyard.resourceserver.LanyardTokens.DASHBOARD;
import static io.lanyard.resourceserver.LanyardTokens.LEGACY;
import static io.lanyard.resourceserver.LanyardTokens.OTHER_API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * README "Verifying Lanyard's tokens in your service": a Micronaut service with micronaut-security-jwt
 * ({@link ReportsController}, {@link ClientIdRequired}, application.yml), as its callers see it over HTTP.
 */
class MicronautResourceServerTest {
    static LanyardTokens lanyard;
    static ReportsService service;

    @BeforeAll
    static void start() {
        lanyard = LanyardTokens.start();
        service = ReportsService.start(lanyard.issuer());
    }

    @AfterAll
    static void stop() {
        service.close();
        lanyard.close();
    }

    static int status(ReportsService reports, String token) {
        return reports.get("/reports", token).statusCode();
    }

    @Test
    void acceptsAnAccessTokenThroughItsKeySet() {
        HttpResponse<String> response = service.get("/reports", lanyard.token(DASHBOARD));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("reports for " + DASHBOARD, response.body());
    }

    @Test
    void refusesNoTokenAnotherAudienceAnExpiredATamperedAndAnUnsignedToken() {
        String token = lanyard.token(DASHBOARD);
        assertEquals(401, status(service, null));
        assertEquals(401, status(service, lanyard.token(DASHBOARD, OTHER_API)));
        assertEquals(401, status(service, lanyard.expiredToken(DASHBOARD)));
        assertEquals(401, status(service, LanyardTokens.tampered(token)));
        assertEquals(401, status(service, LanyardTokens.unsigned(token)));
    }

    @Test
    void takesTokensWithAndWithoutTyp() {
        String untyped = lanyard.token(LEGACY);
        assertNull(LanyardTokens.typ(untyped));
        assertEquals(200, status(service, untyped));
        assertEquals(200, status(service, lanyard.token(DASHBOARD)));
    }

    @Test
    void anIdTokenForTheSameAudiencePassesUnlessTheClientIdIsRequired() {
        String idToken = lanyard.idToken();
        assertEquals(401, status(service, idToken), "ClientIdRequired refuses it");
        try (ReportsService defaults = ReportsService.start(lanyard.issuer(), ClientIdRequired.class)) {
            assertEquals(200, status(defaults, idToken), "Micronaut Security does not look at typ");
            assertEquals(200, status(defaults, lanyard.token(DASHBOARD)));
        }
    }
}
