package io.lanyard.authorize;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The login form, carrying the authorization request it belongs to and a CSRF token. */
public final class LoginPage {
    private LoginPage() {
    }

    /**
     * @param upstreams the buttons of the redirect connectors ({@link UpstreamLogin#buttons}): each
     *                  {@code id} and {@code name}
     */
    public static MutableHttpResponse<?> show(HttpStatus status, AuthorizationRequest request, String csrf,
                                              @Nullable String username, @Nullable String error, BrowserCookies cookies,
                                              List<Map<String, String>> upstreams) {
        Map<String, Object> model = new HashMap<>();
        model.put("upstreams", upstreams);
        model.put("authorization", request.raw());
        model.put("csrf", csrf);
        model.put("clientName", request.client().name());
        String prefill = username != null ? username : request.loginHint();
        model.put("username", prefill);
        model.put("error", error);
        model.put("focus", prefill == null || prefill.isEmpty() ? "username" : "password");
        return Pages.render(status, "login", model).cookie(cookies.csrf(csrf));
    }

    /** The status a failed sign-in is answered with. */
    public static HttpStatus status(PasswordLogin.Failure failure) {
        return switch (failure.reason()) {
            case MISSING_INPUT -> HttpStatus.BAD_REQUEST;
            case REFUSED -> HttpStatus.UNAUTHORIZED;
            case THROTTLED -> HttpStatus.TOO_MANY_REQUESTS;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** The page of a failed sign-in, with {@code Retry-After} when waiting is what helps. */
    public static MutableHttpResponse<?> retryAfter(MutableHttpResponse<?> page, PasswordLogin.Failure failure) {
        if (failure.retryAfterSeconds() > 0) {
            page.header(HttpHeaders.RETRY_AFTER, Long.toString(failure.retryAfterSeconds()));
        }
        return page;
    }
}
