package io.lanyard.authorize;

import io.lanyard.users.ConnectorUnavailableException;
import io.lanyard.users.Connectors;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

/**
 * The answers that send a browser to an upstream, shared by the button's target and by /authorize
 * with {@code connector_id}: the redirect with the cookie that ties the callback to this browser, or
 * the page that says the upstream cannot be reached.
 */
@Singleton
public class UpstreamPages {
    private final UpstreamLogin upstream;
    private final BrowserCookies cookies;

    public UpstreamPages(UpstreamLogin upstream, BrowserCookies cookies) {
        this.upstream = upstream;
        this.cookies = cookies;
    }

    /** 303 after a button's POST, 302 straight from /authorize. */
    public MutableHttpResponse<?> leave(HttpRequest<?> http, Connectors.Configured configured,
                                        UpstreamLogin.Resume resume, UpstreamLogin.Wanted wanted, HttpStatus status) {
        UpstreamLogin.Started started;
        try {
            started = upstream.begin(configured, resume, wanted, cookies.upstream(http));
        } catch (ConnectorUnavailableException e) {
            return unavailable(configured.settings().name());
        }
        String location = started.location().toString();
        MutableHttpResponse<?> response = status == HttpStatus.SEE_OTHER ? Pages.seeOther(location) : Pages.found(location);
        return response.cookie(cookies.upstream(started.browserCookie()));
    }

    public static MutableHttpResponse<?> unavailable(String name) {
        return Pages.message(HttpStatus.SERVICE_UNAVAILABLE, "Try again in a moment",
                name + " cannot be reached right now. Try again in a moment.").header(HttpHeaders.RETRY_AFTER, "5");
    }
}
