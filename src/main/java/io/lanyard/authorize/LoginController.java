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
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Map;

/** The login form's target. The checks and their order live in {@link PasswordLogin}. */
@Controller(Endpoints.LOGIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {
    private final AuthorizationRequestParser parser;
    private final AuthorizationFlow flow;
    private final PasswordLogin login;
    private final BrowserSessions sessions;
    private final BrowserCookies cookies;
    private final ClientAddresses addresses;
    private final LoginMetrics metrics;
    private final UpstreamLogin upstream;

    public LoginController(AuthorizationRequestParser parser, AuthorizationFlow flow, PasswordLogin login,
                           BrowserSessions sessions, BrowserCookies cookies, ClientAddresses addresses,
                           LoginMetrics metrics, UpstreamLogin upstream) {
        this.metrics = metrics;
        this.upstream = upstream;
        this.parser = parser;
        this.flow = flow;
        this.login = login;
        this.sessions = sessions;
        this.cookies = cookies;
        this.addresses = addresses;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> login(HttpRequest<?> http, @Nullable @Body String body) {
        Map<String, List<String>> form;
        try {
            form = FormBody.parse(body == null || body.length() > 16384 ? "" : body);
        } catch (OAuthException e) {
            form = Map.of();
        }
        AuthorizationRequest request;
        try {
            request = parser.parse(Parameters.single(form, "authorization"));
        } catch (AuthorizationError e) {
            return AuthorizeController.refuse(e, flow);
        }
        String csrfCookie = cookies.csrf(http);
        String username = Parameters.single(form, "username");
        if (!Csrf.matches(csrfCookie, Parameters.single(form, "csrf_token"))) {
            return LoginPage.show(HttpStatus.FORBIDDEN, request, Csrf.tokenFor(null), username,
                    "This sign-in form has expired. Please sign in again.", cookies, upstream.buttons(request.connectorId()));
        }
        String password = Parameters.single(form, "password");
        PasswordLogin.Result result = login.attempt(username, password, addresses.of(http), cookies.device(http),
                request.connectorId());
        metrics.count(result);
        if (result instanceof PasswordLogin.Success success) {
            // a new session id at every login (no fixation); the one it replaces ends now
            sessions.end(cookies.session(http));
            String session = sessions.start(success.user().id(), success.authTime());
            return Pages.seeOther(flow.loggedIn(request, success.user(), success.authTime()))
                    .cookie(cookies.session(session, sessions.lifetime()))
                    .cookie(cookies.device(success.deviceCookie()));
        }
        PasswordLogin.Failure failure = (PasswordLogin.Failure) result;
        return LoginPage.retryAfter(LoginPage.show(LoginPage.status(failure), request, csrfCookie, username,
                failure.message(), cookies, upstream.buttons(request.connectorId())), failure);
    }
}
