package io.lanyard.authorize;

import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** end_session_endpoint: GET or POST from a client, and the POST of our own confirmation form. */
@Controller(Endpoints.LOGOUT)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LogoutController {
    private final LogoutRequests requests;
    private final BrowserSessions sessions;
    private final BrowserCookies cookies;

    public LogoutController(LogoutRequests requests, BrowserSessions sessions, BrowserCookies cookies) {
        this.requests = requests;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> get(HttpRequest<?> http) {
        return start(http, http.getUri().getRawQuery());
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> post(HttpRequest<?> http, @Nullable @Body String body) {
        Map<String, List<String>> form;
        try {
            form = FormBody.parse(body == null || body.length() > 16384 ? "" : body);
        } catch (OAuthException e) {
            form = Map.of();
        }
        String confirmed = Parameters.single(form, "logout_request");
        if (confirmed == null && !form.containsKey("logout_request")) {
            return start(http, body);
        }
        LogoutRequests.LogoutRequest request;
        try {
            request = requests.parse(confirmed);
        } catch (LogoutRequests.InvalidLogout e) {
            return invalid(e);
        }
        if (!Csrf.matches(cookies.csrf(http), Parameters.single(form, "csrf_token"))) {
            return confirm(http, request, HttpStatus.FORBIDDEN);
        }
        return end(http, request);
    }

    private HttpResponse<?> start(HttpRequest<?> http, @Nullable String raw) {
        LogoutRequests.LogoutRequest request;
        try {
            request = requests.parse(raw);
        } catch (LogoutRequests.InvalidLogout e) {
            return invalid(e);
        }
        String cookie = cookies.session(http);
        Optional<BrowserSessions.Session> session = cookie == null ? Optional.empty() : sessions.find(cookie);
        if (session.isEmpty()) {
            return done(request);
        }
        if (request.hintSubject() != null && request.hintSubject().equals(session.get().userId())) {
            return end(http, request);
        }
        return confirm(http, request, HttpStatus.OK);
    }

    private HttpResponse<?> end(HttpRequest<?> http, LogoutRequests.LogoutRequest request) {
        sessions.end(cookies.session(http));
        return done(request).cookie(cookies.endSession());
    }

    private static io.micronaut.http.MutableHttpResponse<?> done(LogoutRequests.LogoutRequest request) {
        if (request.returnTo() != null) {
            return Pages.seeOther(request.returnTo());
        }
        return Pages.message(HttpStatus.OK, "Signed out", "You are signed out. You can close this window.");
    }

    private HttpResponse<?> confirm(HttpRequest<?> http, LogoutRequests.LogoutRequest request, HttpStatus status) {
        String csrf = Csrf.tokenFor(status == HttpStatus.FORBIDDEN ? null : cookies.csrf(http));
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Sign out?");
        model.put("message", status == HttpStatus.FORBIDDEN
                ? "This form has expired. Do you still want to sign out?"
                : "An application asked to sign you out of Lanyard.");
        model.put("alert", status != HttpStatus.OK);
        model.put("logoutForm", true);
        model.put("csrf", csrf);
        model.put("logoutRequest", request.raw());
        return Pages.render(status, "message", model).cookie(cookies.csrf(csrf));
    }

    private static HttpResponse<?> invalid(LogoutRequests.InvalidLogout e) {
        return Pages.message(HttpStatus.BAD_REQUEST, "This sign-out link is not valid", e.getMessage() + ".");
    }
}
