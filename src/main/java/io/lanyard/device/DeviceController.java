package io.lanyard.device;

import io.lanyard.authorize.BrowserCookies;
import io.lanyard.authorize.BrowserSessions;
import io.lanyard.authorize.ClientAddresses;
import io.lanyard.authorize.Csrf;
import io.lanyard.authorize.LoginMetrics;
import io.lanyard.authorize.LoginPage;
import io.lanyard.authorize.Pages;
import io.lanyard.authorize.PasswordLogin;
import io.lanyard.authorize.UpstreamLogin;
import io.lanyard.oauth.Endpoints;
import io.lanyard.oauth.FormBody;
import io.lanyard.oauth.OAuthException;
import io.lanyard.oauth.Parameters;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verification page (RFC 8628 3.3) in the style of the login page: no script, every form
 * CSRF-protected (double submit, as at /login), each step a full page. The person types the code
 * (or follows {@code verification_uri_complete}, which fills it in but still asks), signs in if
 * their browser has no session, sees which client asks for what, and approves or denies.
 */
@Controller(Endpoints.DEVICE_VERIFICATION)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeviceController {
    private static final int MAX_FORM = 16384;

    private final DeviceVerification verification;
    private final PasswordLogin login;
    private final BrowserSessions sessions;
    private final BrowserCookies cookies;
    private final ClientAddresses addresses;
    private final LoginMetrics metrics;
    private final UserSource users;
    private final UpstreamLogin upstream;

    public DeviceController(DeviceVerification verification, PasswordLogin login, BrowserSessions sessions,
                            BrowserCookies cookies, ClientAddresses addresses, LoginMetrics metrics, UserSource users,
                            UpstreamLogin upstream) {
        this.upstream = upstream;
        this.verification = verification;
        this.login = login;
        this.sessions = sessions;
        this.cookies = cookies;
        this.addresses = addresses;
        this.metrics = metrics;
        this.users = users;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> show(HttpRequest<?> http, @Nullable @QueryValue("user_code") String userCode) {
        String prefill = userCode == null || userCode.length() > 32 ? null : userCode;
        return DevicePages.enterCode(HttpStatus.OK, Csrf.tokenFor(cookies.csrf(http)), prefill, null, cookies);
    }

    /** The code typed: the approval page when signed in, else the sign-in form that leads to it. */
    @Post(consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> enter(HttpRequest<?> http, @Nullable @Body String body) {
        return approvalOrSignIn(http, step(http, body, true));
    }

    /** Back from an upstream OpenID provider, signed in: the approval page for the code. */
    @Post(uri = "/resume", consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> resume(HttpRequest<?> http, @Nullable @Body String body) {
        return approvalOrSignIn(http, step(http, body, false));
    }

    private HttpResponse<?> approvalOrSignIn(HttpRequest<?> http, Step step) {
        if (step.refusal() != null) {
            return step.refusal();
        }
        Optional<Signed> signed = signedIn(http);
        if (signed.isPresent()) {
            return DevicePages.confirm(step.csrf(), step.found(), signed.get().user().username(), cookies);
        }
        return DevicePages.login(HttpStatus.OK, step.csrf(), step.found(), null, null, cookies, upstream.buttons(null));
    }

    @Post(uri = "/login", consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> signIn(HttpRequest<?> http, @Nullable @Body String body) {
        Step step = step(http, body, false);
        if (step.refusal() != null) {
            return step.refusal();
        }
        String csrf = step.csrf();
        DeviceVerification.Found found = step.found();
        String username = step.parameter("username");
        PasswordLogin.Result result = login.attempt(username, step.parameter("password"), addresses.of(http),
                cookies.device(http));
        metrics.count(result);
        if (result instanceof PasswordLogin.Success success) {
            // a new session id at every login (no fixation); the one it replaces ends now
            sessions.end(cookies.session(http));
            String session = sessions.start(success.user().id(), success.authTime());
            return DevicePages.confirm(csrf, found, success.user().username(), cookies)
                    .cookie(cookies.session(session, sessions.lifetime()))
                    .cookie(cookies.device(success.deviceCookie()));
        }
        PasswordLogin.Failure failure = (PasswordLogin.Failure) result;
        return LoginPage.retryAfter(DevicePages.login(LoginPage.status(failure), csrf, found, username,
                failure.message(), cookies, upstream.buttons(null)), failure);
    }

    @Post(uri = "/decision", consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> decide(HttpRequest<?> http, @Nullable @Body String body) {
        Step step = step(http, body, false);
        if (step.refusal() != null) {
            return step.refusal();
        }
        String csrf = step.csrf();
        DeviceVerification.Found found = step.found();
        String decision = step.parameter("decision");
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            return Pages.message(HttpStatus.BAD_REQUEST, "Nothing decided", "Choose Approve or Deny.");
        }
        Optional<Signed> signed = signedIn(http);
        if (signed.isEmpty()) {
            // the session ended between the pages: sign in again, then decide
            return DevicePages.login(HttpStatus.OK, csrf, found, null, "Your session has ended. Please sign in again.",
                    cookies, upstream.buttons(null));
        }
        boolean approve = "approve".equals(decision);
        if (!verification.decide(found, approve, signed.get().user().id(), signed.get().session().authTime())) {
            return Pages.message(HttpStatus.BAD_REQUEST, "Code no longer valid",
                    "This code was used or has expired. Start again on your device.");
        }
        return approve
                ? Pages.message(HttpStatus.OK, "Device approved",
                        "You have signed in " + found.client().name() + ". You can close this page and return to your device.")
                : Pages.message(HttpStatus.OK, "Request denied",
                        "Nothing was shared with " + found.client().name() + ". You can close this page.");
    }

    private record Signed(BrowserSessions.Session session, User user) {
    }

    /**
     * A posted step of the page: its form, its CSRF token, and the pending code it names; or, when the
     * token does not match or the code is not found (or guessing is delayed), the page that says so.
     */
    private record Step(Map<String, List<String>> form, @Nullable String csrf,
                        DeviceVerification.@Nullable Found found, @Nullable MutableHttpResponse<?> refusal) {
        @Nullable String parameter(String name) {
            return Parameters.single(form, name);
        }
    }

    /** @param first the step where the code is typed; the later ones carry its handle */
    private Step step(HttpRequest<?> http, @Nullable String body, boolean first) {
        Map<String, List<String>> form = form(body);
        String csrf = cookies.csrf(http);
        String typed = first ? Parameters.single(form, "user_code") : null;
        if (!Csrf.matches(csrf, Parameters.single(form, "csrf_token"))) {
            return new Step(form, csrf, null, DevicePages.enterCode(HttpStatus.FORBIDDEN, Csrf.tokenFor(null), typed,
                    "This form has expired. Please enter the code again.", cookies));
        }
        DeviceVerification.Lookup lookup = first ? verification.lookup(typed, addresses.of(http), csrf)
                : verification.resume(Parameters.single(form, "handle"), csrf);
        if (lookup instanceof DeviceVerification.Found found) {
            return new Step(form, csrf, found, null);
        }
        return new Step(form, csrf, null, codeRefused(lookup, csrf, typed));
    }

    /** The browser's session, while its user exists and may sign in. */
    private Optional<Signed> signedIn(HttpRequest<?> http) {
        String cookie = cookies.session(http);
        if (cookie == null) {
            return Optional.empty();
        }
        return sessions.find(cookie).flatMap(session -> users.findById(session.userId()).filter(u -> !u.disabled())
                .map(user -> new Signed(session, user)));
    }

    private MutableHttpResponse<?> codeRefused(DeviceVerification.Lookup lookup, String csrf, @Nullable String typed) {
        if (lookup instanceof DeviceVerification.Throttled throttled) {
            return DevicePages.enterCode(HttpStatus.TOO_MANY_REQUESTS, csrf, typed, "Too many codes were tried. Wait "
                            + throttled.retryAfterSeconds() + " seconds, then try again.", cookies)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
        }
        return DevicePages.enterCode(HttpStatus.BAD_REQUEST, csrf, typed,
                "That code is not valid or has expired. Check the code shown on your device.", cookies);
    }

    private static Map<String, List<String>> form(@Nullable String body) {
        try {
            return FormBody.parse(body == null || body.length() > MAX_FORM ? "" : body);
        } catch (OAuthException e) {
            return Map.of();
        }
    }
}
