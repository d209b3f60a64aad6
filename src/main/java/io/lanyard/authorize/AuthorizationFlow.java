package io.lanyard.authorize;

import io.lanyard.config.LanyardProperties;
import io.lanyard.oauth.RedirectLocations;
import io.lanyard.token.AuthorizationCodes;
import io.lanyard.users.FederatedUsers;
import io.lanyard.users.UpstreamRecheck;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens to a valid authorization request: a code at once when the browser has a fresh
 * enough session, {@code login_required} for {@code prompt=none} when it has not, otherwise the
 * login page. No HTTP types: the controllers turn outcomes into responses.
 */
@Singleton
public class AuthorizationFlow {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);

    public sealed interface Outcome permits Redirect, ShowLogin {
    }

    public record Redirect(String location) implements Outcome {
    }

    public record ShowLogin(AuthorizationRequest request) implements Outcome {
    }

    private final AuthorizationCodes codes;
    private final UserSource users;
    private final FederatedUsers federated;
    private final UpstreamRecheck recheck;
    private final Clock clock;
    private final String issuer;

    public AuthorizationFlow(AuthorizationCodes codes, UserSource users, Clock clock, LanyardProperties lanyard,
                             FederatedUsers federated, UpstreamRecheck recheck) {
        this.codes = codes;
        this.federated = federated;
        this.recheck = recheck;
        this.users = users;
        this.clock = clock;
        this.issuer = lanyard.issuer();
    }

    public Outcome start(AuthorizationRequest request, Optional<BrowserSessions.Session> session) {
        Optional<User> user = session.filter(s -> fresh(request, s.authTime()))
                .flatMap(s -> users.findById(s.userId()))
                .filter(u -> !u.disabled())
                .filter(u -> fromRequestedSource(request, u))
                .flatMap(this::stillUpstream);
        if (user.isPresent() && !request.forcesLogin()) {
            return new Redirect(issueCode(request, user.get(), session.get().authTime()));
        }
        if (request.promptNone()) {
            String description = request.forcesLogin() ? "login is required" : "the user is not logged in";
            return new Redirect(error(request, "login_required", description));
        }
        return new ShowLogin(request);
    }

    /** With {@code connector_id}, a session counts only when its person came from that source. */
    private boolean fromRequestedSource(AuthorizationRequest request, User user) {
        if (request.connectorId() == null) {
            return true;
        }
        String source = federated.linkOf(user.id()).map(FederatedUsers.Link::connectorId).orElse(UserSource.LOCAL);
        return source.equals(request.connectorId());
    }

    /**
     * A session of a person from a connector is only as good as the connector's word now: someone
     * removed from the directory, or whose directory does not answer, logs in again instead of
     * getting a code on the strength of this morning's login.
     */
    private Optional<User> stillUpstream(User user) {
        UpstreamRecheck.Result result = recheck.recheck(user);
        return result instanceof UpstreamRecheck.Current current ? Optional.of(current.user()) : Optional.empty();
    }

    /** After the login page verified the user. */
    public String loggedIn(AuthorizationRequest request, User user, Instant authTime) {
        return issueCode(request, user, authTime);
    }

    public String error(AuthorizationRequest request, String error, String description) {
        return RedirectLocations.error(request.redirectUri(), error, description, request.state(), issuer);
    }

    public String error(AuthorizationError error) {
        return RedirectLocations.error(error.redirectUri(), error.error(), error.description(), error.state(), issuer);
    }

    private boolean fresh(AuthorizationRequest request, Instant authTime) {
        @Nullable Long maxAge = request.maxAge();
        return maxAge == null || !authTime.plusSeconds(maxAge).isBefore(clock.instant());
    }

    private String issueCode(AuthorizationRequest request, User user, Instant authTime) {
        String code = codes.issue(new AuthorizationCodes.Approval(request.client().clientId(), user.id(),
                request.redirectUri(), request.scope(), request.nonce(), request.codeChallenge(), authTime));
        LOG.info("authorization code issued: client={} user={}", request.client().clientId(), user.id());
        return RedirectLocations.code(request.redirectUri(), code, request.state(), issuer);
    }
}
