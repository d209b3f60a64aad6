package io.lanyard.authorize;

import io.lanyard.oauth.Endpoints;
import io.lanyard.storage.StorageException;
import io.lanyard.users.Connectors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** OIDC Core 3.1.2: GET with the request in the query, POST with it in a form body. */
@Controller(Endpoints.AUTHORIZE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuthorizeController {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeController.class);
    private final AuthorizationRequestParser parser;
    private final AuthorizationFlow flow;
    private final BrowserSessions sessions;
    private final BrowserCookies cookies;
    private final UpstreamLogin upstream;
    private final UpstreamPages upstreamPages;

    public AuthorizeController(AuthorizationRequestParser parser, AuthorizationFlow flow, BrowserSessions sessions,
                               BrowserCookies cookies, UpstreamLogin upstream, UpstreamPages upstreamPages) {
        this.upstream = upstream;
        this.upstreamPages = upstreamPages;
        this.parser = parser;
        this.flow = flow;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> get(HttpRequest<?> request) {
        return authorize(request, request.getUri().getRawQuery());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> post(HttpRequest<?> request, @Nullable @Body String body) {
        return authorize(request, body);
    }

    private HttpResponse<?> authorize(HttpRequest<?> http, @Nullable String raw) {
        AuthorizationRequest request;
        try {
            request = parser.parse(raw);
        } catch (AuthorizationError e) {
            return refuse(e, flow);
        }
        String cookie = cookies.session(http);
        Optional<BrowserSessions.Session> session;
        try {
            session = cookie == null ? Optional.empty() : sessions.find(cookie);
        } catch (StorageException e) {
            // the database is away: the page can still be shown, and the login itself will say so
            LOG.warn("session lookup failed: {}", e.getMessage());
            if (request.promptNone()) {
                return Pages.found(flow.error(request, "temporarily_unavailable", "sessions cannot be read right now"));
            }
            session = Optional.empty();
        }
        AuthorizationFlow.Outcome outcome = flow.start(request, session);
        if (outcome instanceof AuthorizationFlow.Redirect redirect) {
            return Pages.found(redirect.location());
        }
        Optional<Connectors.Configured> direct = upstream.find(request.connectorId());
        if (direct.isPresent()) {
            // connector_id names an upstream OpenID provider: no page to choose on, straight there
            return upstreamPages.leave(http, direct.get(), new UpstreamLogin.ToAuthorization(request.raw()),
                    UpstreamLogin.Wanted.of(request), HttpStatus.FOUND);
        }
        return LoginPage.show(HttpStatus.OK, request, Csrf.tokenFor(cookies.csrf(http)), null, null, cookies,
                upstream.buttons(request.connectorId()));
    }

    /** Errors before the redirect URI is trusted are shown here and never redirected. */
    public static HttpResponse<?> refuse(AuthorizationError error, AuthorizationFlow flow) {
        if (error.redirectable()) {
            return Pages.found(flow.error(error));
        }
        return Pages.message(HttpStatus.BAD_REQUEST, "This sign-in link is not valid",
                "The application sent an invalid sign-in request: " + error.description()
                        + ". Go back to the application and try again.");
    }
}
