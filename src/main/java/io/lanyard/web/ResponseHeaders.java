package io.lanyard.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Headers every response carries, whichever controller, error handler or 404 produced it.
 * <p>
 * {@code Date} in IMF-fixdate (RFC 9110 section 5.6.7: always two digits for the day). Micronaut's own
 * value has one digit on days 1 to 9, which Go's {@code http.ParseTime} rejects, so go-oidc inside
 * kube-apiserver took the JWKS for expired on those days and cacheable on the others.
 * <p>
 * {@code Strict-Transport-Security} on the HTTPS listener (RFC 6797), so a browser that once reached
 * the login page over HTTPS never sends a password over plain HTTP to this host. Behind a proxy that
 * terminates TLS the proxy owns that header.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ResponseHeaders {
    static final String HSTS = "max-age=31536000";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The formatted date of one second, reused for every response in that second. */
    private record Stamp(long second, String text) {
    }

    private final Clock clock;
    private final AtomicReference<Stamp> last = new AtomicReference<>(new Stamp(Long.MIN_VALUE, ""));

    public ResponseHeaders(Clock clock) {
        this.clock = clock;
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.getHeaders().set(HttpHeaders.DATE, date());
        if (request.isSecure()) {
            response.getHeaders().set("Strict-Transport-Security", HSTS);
        }
    }

    String date() {
        long second = clock.millis() / 1000;
        Stamp stamp = last.get();
        if (stamp.second() != second) {
            stamp = new Stamp(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            last.set(stamp);
        }
        return stamp.text();
    }
}
