package io.lanyard.authorize;

import io.lanyard.config.LanyardProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The cookies the login pages use. {@code Secure} and the {@code __Host-} prefix follow the
 * issuer's scheme, not the connection's: behind a TLS-terminating proxy Lanyard speaks plain HTTP
 * while the browser speaks HTTPS.
 */
@Singleton
public class BrowserCookies {
    private final boolean secure;
    private final String session;
    private final String csrf;
    private final String device;
    private final String upstream;

    public BrowserCookies(LanyardProperties lanyard) {
        this.secure = lanyard.issuer().startsWith("https://");
        String prefix = secure ? "__Host-" : "";
        this.session = prefix + "lanyard_session";
        this.csrf = prefix + "lanyard_csrf";
        this.device = prefix + "lanyard_device";
        this.upstream = prefix + "lanyard_upstream";
    }

    public @Nullable String session(HttpRequest<?> request) {
        return request.getCookies().findCookie(session).map(Cookie::getValue).orElse(null);
    }

    public @Nullable String csrf(HttpRequest<?> request) {
        return request.getCookies().findCookie(csrf).map(Cookie::getValue).orElse(null);
    }

    public @Nullable String device(HttpRequest<?> request) {
        return request.getCookies().findCookie(device).map(Cookie::getValue).orElse(null);
    }

    public @Nullable String upstream(HttpRequest<?> request) {
        return request.getCookies().findCookie(upstream).map(Cookie::getValue).orElse(null);
    }

    /**
     * Lax: it must come back with the upstream's redirect to /callback, a top-level GET from another
     * site. It ties a callback to the browser that left; it lives as long as a pending login.
     */
    public Cookie upstream(String value) {
        return base(upstream, value).sameSite(SameSite.Lax).maxAge(UpstreamLogins.LIFETIME);
    }

    /** Strict: only the login form, posting to this server, ever needs it. */
    public Cookie device(String value) {
        return base(device, value).sameSite(SameSite.Strict).maxAge(DeviceCookies.LIFETIME);
    }

    /** Lax: the browser must send it on the top-level GET to /authorize that a client starts. */
    public Cookie session(String value, Duration lifetime) {
        return base(session, value).sameSite(SameSite.Lax).maxAge(lifetime);
    }

    public Cookie endSession() {
        return base(session, "").sameSite(SameSite.Lax).maxAge(0);
    }

    /** Strict: only ever needed by a form this server rendered, posting back to itself. */
    public Cookie csrf(String value) {
        return base(csrf, value).sameSite(SameSite.Strict);
    }

    private Cookie base(String name, String value) {
        return Cookie.of(name, value).httpOnly(true).secure(secure).path("/");
    }
}
