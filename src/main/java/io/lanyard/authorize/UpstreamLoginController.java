package io.lanyard.authorize;

import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.users.Connectors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two ends of a login through an upstream OpenID provider: the button's target, which sends the
 * browser there, and {@code /callback}, where it comes back. The steps live in {@link UpstreamLogin}.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class UpstreamLoginController {
    private static final String EXPIRED = "This sign-in has expired or was already used. Go back to the application "
            + "and sign in again.";

    private final UpstreamLogin upstream;
    private final AuthorizationRequestParser parser;
    private final AuthorizationFlow flow;
    private final BrowserSessions sessions;
    private final BrowserCookies cookies;
    private final LoginMetrics metrics;
    private final UpstreamPages pages;

    public UpstreamLoginController(UpstreamLogin upstream, AuthorizationRequestParser parser, AuthorizationFlow flow,
                                   BrowserSessions sessions, BrowserCookies cookies, LoginMetrics metrics,
                                   UpstreamPages pages) {
        this.metrics = metrics;
        this.pages = pages;
        this.upstream = upstream;
        this.parser = parser;
        this.flow = flow;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    /** A button: its form names the connector and carries the authorization request or the device handle. */
    @Post(uri = Endpoints.LOGIN_UPSTREAM, consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> start(HttpRequest<?> http, @Nullable @Body String body) {
        Map<String, List<String>> form;
        try {
            form = FormBody.parse(body == null || body.length() > 16384 ? "" : body);
        } catch (OAuthException e) {
            form = Map.of();
        }
        String csrf = cookies.csrf(http);
        if (!Csrf.matches(csrf, Parameters.single(form, "csrf_token"))) {
            return Pages.message(HttpStatus.FORBIDDEN, "This page has expired",
                    "This sign-in form has expired. Go back to the application and sign in again.");
        }
        Optional<Connectors.Configured> configured = upstream.find(Parameters.single(form, "connector"));
        if (configured.isEmpty()) {
            return Pages.message(HttpStatus.BAD_REQUEST, "Unknown sign-in option",
                    "This way of signing in is not offered here. Go back and choose another.");
        }
        String handle = Parameters.single(form, "handle");
        if (handle != null) {
            // a device flow: the handle stays sealed to this page
            return pages.leave(http, configured.get(), new UpstreamLogin.ToDevice(handle, csrf), UpstreamLogin.Wanted.DEVICE,
                    HttpStatus.SEE_OTHER);
        }
        AuthorizationRequest request;
        try {
            request = parser.parse(Parameters.single(form, "authorization"));
        } catch (AuthorizationError e) {
            return AuthorizeController.refuse(e, flow);
        }
        if (request.connectorId() != null && !request.connectorId().equals(configured.get().settings().id())) {
            return Pages.message(HttpStatus.BAD_REQUEST, "Unknown sign-in option",
                    "The application asked for another way of signing in. Go back and try again.");
        }
        return pages.leave(http, configured.get(), new UpstreamLogin.ToAuthorization(request.raw()),
                UpstreamLogin.Wanted.of(request), HttpStatus.SEE_OTHER);
    }

    @Get(uri = Endpoints.CALLBACK, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> callback(HttpRequest<?> http, @Nullable @QueryValue String state,
                                    @Nullable @QueryValue String code, @Nullable @QueryValue String iss,
                                    @Nullable @QueryValue String error) {
        UpstreamLogin.Outcome outcome = upstream.complete(new UpstreamLogin.Callback(state, code, iss, error),
                cookies.upstream(http));
        metrics.count(outcome);
        if (outcome instanceof UpstreamLogin.LoggedIn in) {
            // a new session id at every login (no fixation); the one it replaces ends now
            sessions.end(cookies.session(http));
            Cookie session = cookies.session(sessions.start(in.user().id(), in.authTime()), sessions.lifetime());
            if (in.resume() instanceof UpstreamLogin.ToAuthorization resumed) {
                AuthorizationRequest request;
                try {
                    request = parser.parse(resumed.authorization());
                } catch (AuthorizationError e) {
                    return AuthorizeController.refuse(e, flow).toMutableResponse().cookie(session);
                }
                return Pages.found(flow.loggedIn(request, in.user(), in.authTime())).cookie(session);
            }
            return continueOnDevicePage((UpstreamLogin.ToDevice) in.resume(), in.user().username()).cookie(session);
        }
        UpstreamLogin.Failed failed = (UpstreamLogin.Failed) outcome;
        String message = switch (failed.failure()) {
            case NOT_PENDING -> EXPIRED;
            case UNAVAILABLE -> null;
            case DECLINED -> failed.connectorName() + " did not sign you in.";
            case WRONG_ISSUER -> "The sign-in answer did not come from " + failed.connectorName() + ". Try again.";
            case REFUSED, DISABLED -> "Signing in with " + failed.connectorName() + " failed. Try again, or ask "
                    + "your administrator.";
        };
        if (failed.failure() == UpstreamLogin.Failure.UNAVAILABLE) {
            return UpstreamPages.unavailable(failed.connectorName());
        }
        HttpStatus status = failed.failure() == UpstreamLogin.Failure.NOT_PENDING ? HttpStatus.BAD_REQUEST
                : HttpStatus.UNAUTHORIZED;
        if (failed.resume() instanceof UpstreamLogin.ToAuthorization resumed) {
            try {
                AuthorizationRequest request = parser.parse(resumed.authorization());
                // the CSRF cookie is SameSite=Strict and did not come along from the upstream: a new one
                return LoginPage.show(status, request, Csrf.tokenFor(null), null, message, cookies,
                        upstream.buttons(request.connectorId()));
            } catch (AuthorizationError e) {
                return AuthorizeController.refuse(e, flow);
            }
        }
        return Pages.message(status, "Not signed in", message);
    }

    /**
     * The device page cannot be shown from here: its CSRF cookie is SameSite=Strict and a redirect chain
     * from another site does not carry it. One button on this page, posting back to this site, does.
     */
    private MutableHttpResponse<?> continueOnDevicePage(UpstreamLogin.ToDevice device, String username) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", device.csrf());
        model.put("handle", device.handle());
        model.put("username", username);
        return Pages.render(HttpStatus.OK, "device-continue", model);
    }
}
