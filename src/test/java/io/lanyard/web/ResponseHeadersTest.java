package io.lanyard.web;

import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every response's {@code Date} is IMF-fixdate (RFC 9110 section 5.6.7) on a day of the month with
 * one digit, read by a parser as strict as Go's {@code http.ParseTime}; and plain HTTP carries no
 * {@code Strict-Transport-Security} (the HTTPS listener's is checked in TlsEndToEndTest).
 */
class ResponseHeadersTest {
    /** IMF-fixdate and nothing else: two-digit day, English names, GMT. */
    static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    private static LanyardServer server;
    private static MutableClock clock;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.freshH2());
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        clock = server.bean(MutableClock.class);
        // to the next day numbered 1 to 9, unless today is one
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        if (now.getDayOfMonth() > 9) {
            ZonedDateTime firstOfNextMonth = now.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusHours(12);
            clock.advance(Duration.between(now, firstOfNextMonth));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyResponseDatesItselfWithATwoDigitDay() {
        assertTrue(clock.instant().atZone(ZoneOffset.UTC).getDayOfMonth() <= 9);
        List<HttpResponse<String>> responses = List.of(server.get("/jwks"), server.get("/.well-known/openid-configuration"),
                server.postForm("/token", "grant_type=nonsense"), server.get("/authorize"), server.get("/no-such-page"));
        for (HttpResponse<String> response : responses) {
            String date = response.headers().firstValue("Date").orElse("(none)");
            assertTrue(date.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
                    response.uri() + ": " + date);
            Instant sent = Instant.from(STRICT.parse(date));
            assertTrue(Duration.between(sent, clock.instant()).abs().getSeconds() <= 5, date + " is the server's time");
            assertEquals(1, response.headers().allValues("Date").size(), response.uri() + " sends one Date");
            assertTrue(response.headers().firstValue("Strict-Transport-Security").isEmpty(), "not over plain HTTP");
        }
    }
}
